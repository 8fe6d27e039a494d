//! Where a phone stands on its way through one stage: the steps every
//! journey, hint and expectation is told in.

use serde::Serialize;

/// Where a phone stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// A phone of the session that has asked for nothing yet (and got no
    /// lease): listed from the moment serving starts.
    #[default]
    NotSeen,
    /// The bench DHCP server gave it an address; it has asked for no file
    /// yet (it boots, or it was told of another TFTP server).
    HasAddress,
    /// Booting: asking for its configuration.
    AskingForConfig,
    /// Downloading the image its configuration names.
    FetchingImage,
    /// Has every image file; it will now flash and reboot (minutes).
    ImageFetched,
    /// Rebooted and asking for configuration again, now on the new image.
    BackOnNewImage,
    /// Running the new image and has its own configuration.
    Configured,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::NotSeen,
        Phase::HasAddress,
        Phase::AskingForConfig,
        Phase::FetchingImage,
        Phase::ImageFetched,
        Phase::BackOnNewImage,
        Phase::Configured,
    ];

    /// Words for a person watching (the log, the wizard's Serve step).
    pub fn msg(self) -> crate::msg::Msg {
        match self {
            Phase::NotSeen => crate::msg!("phase.not_seen", "not seen yet"),
            Phase::HasAddress => crate::msg!("phase.has_address", "has an address"),
            Phase::AskingForConfig => crate::msg!("phase.asking_for_config", "asking for config"),
            Phase::FetchingImage => crate::msg!("phase.fetching_image", "fetching image"),
            Phase::ImageFetched => crate::msg!(
                "phase.image_fetched",
                "image fetched, flashing and rebooting"
            ),
            Phase::BackOnNewImage => {
                crate::msg!("phase.back_on_new_image", "back on the new image")
            }
            Phase::Configured => crate::msg!("phase.configured", "configured"),
        }
    }
}
