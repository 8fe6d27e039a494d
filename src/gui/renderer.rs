//! Which renderer draws the window, and the fallback when it cannot start.
//!
//! Choice: **wgpu first, glow as the fallback.**
//!
//! * The admin may run this on a Windows PC without 3-D acceleration: over
//!   Remote Desktop, in a VM, on a server with the basic display driver. There
//!   Windows offers OpenGL 1.1 only (GDI), so glow, which needs OpenGL 2+,
//!   cannot start. wgpu's DX12 backend still finds the WARP software adapter
//!   ("Microsoft Basic Render Driver"), so wgpu is the renderer that starts
//!   everywhere on Windows. On macOS it uses Metal, on Linux Vulkan or GL.
//! * Our adapter selector prefers a real GPU and accepts a software (CPU)
//!   adapter when that is all there is, instead of failing. (wgpu-hal's DXGI
//!   enumeration keeps the WARP adapter flagged `DXGI_ADAPTER_FLAG_SOFTWARE`
//!   and reports it as `DeviceType::Cpu`, which is the one an RDP session or
//!   a VM without a virtual GPU offers.)
//! * Should wgpu still fail (no adapter at all, an old driver that crashes
//!   device creation), we start again with glow: eframe keeps its event loop,
//!   so the second attempt opens the window as if nothing happened.
//!   `CONVERT79XX_RENDERER=glow` forces glow (to test the fallback, or for a
//!   machine where wgpu misbehaves).
//!
//! Checked under Xvfb: the default opens with wgpu (Mesa's software
//! Vulkan/GL); `WGPU_BACKEND=dx12` on Linux makes wgpu fail ("Failed to
//! create surface for any enabled backend") and the same run opens the
//! window with glow.

use eframe::egui_wgpu::{WgpuConfiguration, WgpuSetup, WgpuSetupCreateNew};
use eframe::wgpu;

/// Options for the window, for one renderer.
pub fn options(renderer: eframe::Renderer, icon: Option<egui::IconData>) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([760.0, 520.0])
        .with_drag_and_drop(true);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        renderer,
        wgpu_options: wgpu_config(),
        ..Default::default()
    }
}

fn wgpu_config() -> WgpuConfiguration {
    let mut create = WgpuSetupCreateNew::without_display_handle();
    create.native_adapter_selector = Some(std::sync::Arc::new(pick_adapter));
    WgpuConfiguration {
        wgpu_setup: WgpuSetup::CreateNew(create),
        ..Default::default()
    }
}

/// A hardware adapter that can draw to the window if there is one, else a
/// software one (WARP, llvmpipe, lavapipe).
fn pick_adapter(
    adapters: &[wgpu::Adapter],
    surface: Option<&wgpu::Surface<'_>>,
) -> Result<wgpu::Adapter, String> {
    let usable = |a: &&wgpu::Adapter| surface.is_none_or(|s| a.is_surface_supported(s));
    let rank = |a: &wgpu::Adapter| match a.get_info().device_type {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Other => 3,
        wgpu::DeviceType::Cpu => 4,
    };
    adapters
        .iter()
        .filter(usable)
        .min_by_key(|a| rank(a))
        .cloned()
        .ok_or_else(|| {
            format!(
                "no graphics adapter can draw to this window (found {})",
                adapters.len()
            )
        })
}

/// Which renderer draws the window, and why not the first choice: shown in
/// Help > About and at the top of the Serve step's log, so a user who
/// double-clicked the .exe can tell that the window fell back to OpenGL
/// (and why) without a console.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawn {
    /// `None` until the window opens (and in tests, which draw off screen).
    pub with: Option<eframe::Renderer>,
    /// The graphics adapter and API wgpu picked ("llvmpipe, Vulkan").
    pub adapter: Option<String>,
    /// What the renderers tried before failed with.
    pub failed: Vec<String>,
}

impl Drawn {
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        with: eframe::Renderer,
        failed: &[String],
    ) -> Self {
        let adapter = cc.wgpu_render_state.as_ref().map(|s| {
            let info = s.adapter.get_info();
            format!("{}, {:?}", info.name, info.backend)
        });
        Drawn {
            with: Some(with),
            adapter,
            failed: failed.to_vec(),
        }
    }

    /// One sentence for the user: which renderer, and why not wgpu.
    pub fn line(&self) -> convert79xx::msg::Msg {
        use convert79xx::msg;
        match (self.with, self.failed.is_empty()) {
            (None, _) => msg!(
                "gui.about.drawn_off_screen",
                "The window is drawn off screen."
            ),
            (Some(eframe::Renderer::Glow), false) => msg!(
                "gui.about.drawn_glow_fallback",
                "The window is drawn with OpenGL (glow): wgpu could not start ({why}). If it looks wrong, update the graphics driver.",
                why = self.failed.join("; ")
            ),
            (Some(eframe::Renderer::Glow), true) => {
                msg!(
                    "gui.about.drawn_glow",
                    "The window is drawn with OpenGL (glow)."
                )
            }
            (Some(eframe::Renderer::Wgpu), _) => msg!(
                "gui.about.drawn_wgpu",
                "The window is drawn with wgpu ({adapter}).",
                adapter = self.adapter.as_deref().unwrap_or("?")
            ),
        }
    }

    /// Whether the first choice (wgpu) failed and another draws the window.
    pub fn fell_back(&self) -> bool {
        !self.failed.is_empty() && self.with.is_some()
    }
}

/// The order to try renderers in.
pub fn order() -> Vec<eframe::Renderer> {
    match std::env::var("CONVERT79XX_RENDERER").as_deref() {
        Ok("glow") => vec![eframe::Renderer::Glow],
        Ok("wgpu") => vec![eframe::Renderer::Wgpu],
        _ => vec![eframe::Renderer::Wgpu, eframe::Renderer::Glow],
    }
}
