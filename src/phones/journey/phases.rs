//! The phase machine: where one request, transfer end or "not found"
//! puts a phone in its boot sequence (docs/boot-sequences.md §1), and the
//! hints it earns on the way. Kept apart from [`super::Journeys`], which
//! only knows which phone is which.

use super::{FileFailure, FileProgress, Phase, PhoneJourney};
use crate::phones::expectations::{StageExpectations, missing_file_hint};
use crate::phones::hint::Hint;
use crate::tftp::TftpEvent;
use crate::tftp::names::{FileKind, bare_name, classify, image_stem};

/// The phase rules (docs/boot-sequences.md §1): a boot starts with the trust list,
/// the device config or OS79XX.TXT; an image payload means the image is
/// being fetched; after the image, a new boot means the phone is back on it;
/// its own config on the new image means configured.
pub(super) fn step(j: &mut PhoneJourney, event: &TftpEvent, stage: Option<&StageExpectations>) {
    let Some(file) = event.file() else { return };
    // Its first request: it no longer only has an address.
    if j.phase <= Phase::HasAddress {
        j.phase = Phase::AskingForConfig;
    }
    let name = bare_name(file).to_string();
    let kind = classify(&name);
    match event {
        TftpEvent::Request { size, .. } => {
            j.in_flight.insert(
                name.clone(),
                FileProgress {
                    bytes: 0,
                    size: *size,
                },
            );
            match kind {
                FileKind::TrustList
                | FileKind::DeviceConfig
                | FileKind::DefaultConfig
                | FileKind::OsTxt => {
                    if j.phase == Phase::ImageFetched {
                        j.phase = Phase::BackOnNewImage;
                    } else if j.phase == Phase::Configured && j.image.is_some() {
                        // A reboot after being configured: a new boot, same image.
                        j.phase = Phase::BackOnNewImage;
                    }
                }
                FileKind::ImagePayload => {
                    // A new download starts before the image or after the
                    // reboot (a further stage); parts asked after the image
                    // is complete do not move it back.
                    if j.phase < Phase::FetchingImage || j.phase >= Phase::BackOnNewImage {
                        j.phase = Phase::FetchingImage;
                        j.payload_done.clear();
                    }
                    j.image.get_or_insert_with(|| image_stem(&name).to_string());
                }
                FileKind::ImageDescriptor => {
                    if j.phase < Phase::ImageFetched {
                        j.image = Some(image_stem(&name).to_string());
                    }
                }
                FileKind::SipDefault | FileKind::SipPhone | FileKind::SipExtra => {
                    if j.phase == Phase::ImageFetched {
                        j.phase = Phase::BackOnNewImage;
                    }
                }
                FileKind::Profile | FileKind::Other => {}
            }
        }
        TftpEvent::Done { .. } => {
            j.in_flight.remove(&name);
            j.fetched_in_full(&name);
            match kind {
                FileKind::ImagePayload => {
                    j.payload_done.insert(name.to_ascii_lowercase());
                    let all = stage
                        .and_then(|s| s.image_complete(&j.payload_done))
                        .unwrap_or_else(|| {
                            j.payload_done.iter().any(|f| f.ends_with(".sb2"))
                                && !j
                                    .in_flight
                                    .keys()
                                    .any(|f| classify(f) == FileKind::ImagePayload)
                        });
                    if all && j.phase == Phase::FetchingImage {
                        j.phase = Phase::ImageFetched;
                    }
                }
                FileKind::SipPhone => {
                    let sip_target = j.target_is_sip(stage) != Some(false);
                    if sip_target
                        && j.phase != Phase::FetchingImage
                        && j.phase != Phase::ImageFetched
                    {
                        j.phase = Phase::Configured;
                    }
                }
                FileKind::DeviceConfig
                    if j.phase == Phase::BackOnNewImage
                        && j.target_is_sip(stage) == Some(false) =>
                {
                    j.phase = Phase::Configured;
                }
                _ => {}
            }
        }
        TftpEvent::Failed { reason, bytes, .. } => {
            j.in_flight.remove(&name);
            j.failure(FileFailure {
                file: name.clone(),
                reason: reason.clone(),
            });
            if kind == FileKind::ImagePayload && reason.phone_stopped() {
                j.hint(Hint::TransferStopped {
                    file: name.clone(),
                    bytes: *bytes,
                });
            }
        }
        TftpEvent::NotFound { .. } => {
            j.missing(name.clone());
            // Asking for a boot file it cannot have, after the image, is a
            // new boot too (a stage may write no config for it to find).
            let boot_file = matches!(
                kind,
                FileKind::TrustList
                    | FileKind::DeviceConfig
                    | FileKind::DefaultConfig
                    | FileKind::OsTxt
            );
            if boot_file && j.phase == Phase::ImageFetched {
                j.phase = Phase::BackOnNewImage;
            }
            if let Some(h) = missing_file_hint(&name, kind, stage) {
                j.hint(h);
            }
        }
        TftpEvent::Denied { reason, .. } => {
            j.hint(Hint::Refused {
                file: file.to_string(),
                reason: reason.clone(),
            });
        }
        TftpEvent::Progress { bytes, size, .. } => {
            if let Some(p) = j.in_flight.get_mut(&name) {
                *p = FileProgress {
                    bytes: *bytes,
                    size: *size,
                };
            }
        }
        TftpEvent::Listening { .. }
        | TftpEvent::Phone { .. }
        | TftpEvent::Rejected { .. }
        | TftpEvent::Answered { .. }
        | TftpEvent::Unplaced { .. }
        | TftpEvent::StageDone { .. }
        | TftpEvent::Stuck { .. }
        | TftpEvent::Recognised { .. }
        | TftpEvent::Unrecognised { .. }
        | TftpEvent::Warning { .. } => {}
    }
}

impl PhoneJourney {
    /// The phone will run SIP once done (judged by its image or stage).
    fn target_is_sip(&self, stage: Option<&StageExpectations>) -> Option<bool> {
        let image = self
            .image
            .as_deref()
            .or(stage.and_then(|s| s.target_image.as_deref()))?;
        Some(image.to_ascii_uppercase().starts_with("P0S"))
    }
}

/// What serve recognised a phone as (issue 23), for its row.
pub(super) fn recognised(event: &TftpEvent) -> Option<crate::msg::Msg> {
    let TftpEvent::Recognised {
        eras, load, route, ..
    } = event
    else {
        return None;
    };
    Some(crate::msg!(
        "journey.recognised",
        "recognised as {what}, route {route}",
        what = load.clone().unwrap_or_else(|| eras.join(" or ")),
        route = if route.is_empty() {
            "-"
        } else {
            route.as_str()
        },
    ))
}
