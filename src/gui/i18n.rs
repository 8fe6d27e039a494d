//! Every string the wizard shows, in English and Brazilian Portuguese.
//!
//! The English text is the key: UI code calls `tr(lang, "English text")`, and
//! [`pt_br`] holds the translation. A test reads the wizard's source and fails
//! when a string passed to `tr`/`trf` has no Portuguese entry, so nothing shows
//! up half-translated. Placeholders are `{name}` and are filled by [`trf`].

/// The languages the wizard speaks: the core's, so its messages
/// ([`convert79xx::msg::Msg`]) render in the same one.
pub use convert79xx::msg::Lang;

/// The system's language when it is Portuguese, else English.
pub fn system_lang() -> Lang {
    Lang::from_locale(sys_locale::get_locale().as_deref().unwrap_or("en"))
}

/// Translate one fixed string.
pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::PtBr => pt_br(en).unwrap_or_else(|| {
            convert79xx::msg::note_untranslated(en);
            en
        }),
    }
}

/// Translate and fill `{name}` placeholders.
pub fn trf(lang: Lang, en: &'static str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut s = tr(lang, en).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), &value.to_string());
    }
    s
}

/// The Portuguese table. Keep entries in the order the wizard shows them.
pub fn pt_br(en: &str) -> Option<&'static str> {
    Some(match en {
        // frame
        "convert79xx: Cisco 7940/7960 SCCP / SIP" => "convert79xx: Cisco 7940/7960 SCCP / SIP",
        "Back" => "Voltar",
        "Next" => "Avançar",
        "Session" => "Sessão",
        "New" => "Nova",
        "Open…" => "Abrir…",
        "Save" => "Salvar",
        "Save as…" => "Salvar como…",
        "Language" => "Idioma",
        "Step {n} of {total}" => "Passo {n} de {total}",
        "Session saved: {path}" => "Sessão salva: {path}",
        "Session opened: {path}" => "Sessão aberta: {path}",
        "Could not open the session: {error}" => "Não foi possível abrir a sessão: {error}",
        "Could not save the session: {error}" => "Não foi possível salvar a sessão: {error}",
        "Working…" => "Trabalhando…",
        "About" => "Sobre",
        "About convert79xx" => "Sobre o convert79xx",
        "Version {version}" => "Versão {version}",
        "The window is drawn off screen." => "A janela é desenhada fora da tela.",
        "The window is drawn with OpenGL (glow): wgpu could not start ({why}). If it looks wrong, update the graphics driver." => {
            "A janela é desenhada com OpenGL (glow): o wgpu não pôde iniciar ({why}). Se ela parecer errada, atualize o driver de vídeo."
        }
        "The window is drawn with OpenGL (glow)." => "A janela é desenhada com OpenGL (glow).",
        "The window is drawn with wgpu ({adapter})." => {
            "A janela é desenhada com wgpu ({adapter})."
        }
        "No file dialog" => "Sem janela de arquivos",
        "No file dialog can open on this computer. Type or paste the path instead:" => {
            "Nenhuma janela de arquivos pode abrir neste computador. Digite ou cole o caminho:"
        }
        "Path" => "Caminho",
        "OK" => "OK",
        "Cancel" => "Cancelar",
        "A firmware package: a zip, or an image file." => {
            "Um pacote de firmware: um zip ou um arquivo de imagem."
        }
        "A folder holding a firmware package." => "Uma pasta com um pacote de firmware.",
        "The session file to open (.toml)." => "O arquivo de sessão a abrir (.toml).",
        "Where to save the session (.toml)." => "Onde salvar a sessão (.toml).",
        "The CSV file of phones to import." => "O arquivo CSV de telefones a importar.",
        "Where to save the phones as CSV." => "Onde salvar os telefones em CSV.",
        "The folder the phones read their files from." => {
            "A pasta de onde os telefones leem seus arquivos."
        }
        "Where to save the log." => "Onde salvar o registro.",
        "Close" => "Fechar",
        // step titles and why
        "Current image" => "Imagem atual",
        "Target and firmware" => "Destino e firmware",
        "Route" => "Rota",
        "Phones and accounts" => "Telefones e contas",
        "Files" => "Arquivos",
        "Network" => "Rede",
        "Serve" => "Servir",
        "The route depends on what the phones run now: some old loads need an intermediate step, and signed loads cannot go back." => {
            "A rota depende do que os telefones executam agora: algumas cargas antigas precisam de um passo intermediário, e cargas assinadas não voltam atrás."
        }
        "The phones fetch the new image from this computer, so the firmware packages must be here, complete and intact." => {
            "Os telefones buscam a nova imagem neste computador, então os pacotes de firmware precisam estar aqui, completos e íntegros."
        }
        "Read the plan before writing anything: it says what you will do on each phone and what cannot be undone." => {
            "Leia o plano antes de gravar qualquer coisa: ele diz o que você fará em cada telefone e o que não pode ser desfeito."
        }
        "Each phone needs its own configuration file, named after its MAC address, with its lines and accounts." => {
            "Cada telefone precisa do seu próprio arquivo de configuração, com o nome do seu endereço MAC, com suas linhas e contas."
        }
        "The phones read these files from a TFTP folder; see every file before it is written or moved aside." => {
            "Os telefones leem estes arquivos de uma pasta TFTP; veja cada arquivo antes de ele ser gravado ou posto de lado."
        }
        "The phones must find this computer: through DHCP or by typing its address on each phone." => {
            "Os telefones precisam encontrar este computador: pelo DHCP ou digitando o endereço dele em cada telefone."
        }
        "Serve the files and follow each phone until it runs the new image." => {
            "Sirva os arquivos e acompanhe cada telefone até ele executar a nova imagem."
        }
        // step 1
        "Direction" => "Direção",
        "SCCP to SIP" => "SCCP para SIP",
        "SIP to SCCP" => "SIP para SCCP",
        "Same protocol (upgrade)" => "Mesmo protocolo (atualização)",
        "Image the phones run now" => "Imagem que os telefones executam agora",
        "A load name (P00308010200, P0S3-8-12-00) or a family and version (sccp 8.1(2), sip 7.4)." => {
            "Um nome de carga (P00308010200, P0S3-8-12-00) ou uma família e versão (sccp 8.1(2), sip 7.4)."
        }
        "Where to read it: on the phone, press Settings > Status > Firmware Versions; the App Load ID is the load name." => {
            "Onde ler: no telefone, pressione Settings > Status > Firmware Versions; o App Load ID é o nome da carga."
        }
        "Phone model (default for phones that do not say)" => {
            "Modelo do telefone (padrão para os que não informam)"
        }
        "Phones are managed by Cisco Unified Communications Manager 5.x/6.x" => {
            "Os telefones são gerenciados pelo Cisco Unified Communications Manager 5.x/6.x"
        }
        "Recognised: {what}" => "Reconhecido: {what}",
        "This does not match the direction you chose." => {
            "Isto não corresponde à direção escolhida."
        }
        "Fix the load name to continue." => "Corrija o nome da carga para continuar.",
        "Type the current image to continue." => "Digite a imagem atual para continuar.",
        // step 2
        "Target image" => "Imagem de destino",
        "The load the phones should end up on, e.g. P0S3-8-12-00 or sip 8.12." => {
            "A carga em que os telefones devem terminar, por ex. P0S3-8-12-00 ou sip 8.12."
        }
        "Firmware packages" => "Pacotes de firmware",
        "Add packages…" => "Adicionar pacotes…",
        "Add a folder…" => "Adicionar uma pasta…",
        "or drop zip files, folders or images onto this window." => {
            "ou solte arquivos zip, pastas ou imagens nesta janela."
        }
        "Drop to open a session or add firmware packages" => {
            "Solte para abrir uma sessão ou adicionar pacotes de firmware"
        }
        "Checking…" => "Verificando…",
        "Remove" => "Remover",
        "Loads: {loads}" => "Cargas: {loads}",
        "Target image set from the package: {load}" => {
            "Imagem de destino definida pelo pacote: {load}"
        }
        "{n} files, all checksums good" => "{n} arquivos, todas as somas de verificação corretas",
        "No packages yet. Cisco's packages are named like cmterm-7940-7960-sip.8-12-00.zip or P0S3-8-12-00.zip." => {
            "Nenhum pacote ainda. Os pacotes da Cisco têm nomes como cmterm-7940-7960-sip.8-12-00.zip ou P0S3-8-12-00.zip."
        }
        "Type the target image to continue." => "Digite a imagem de destino para continuar.",
        // step 3
        "Stage {n}: install {target}" => "Etapa {n}: instalar {target}",
        "Stage {n}" => "Etapa {n}",
        "signed" => "assinada",
        "unsigned" => "não assinada",
        "no way back" => "sem volta",
        // the tech note's own term
        "Universal application loader" => "Carregador de aplicativo universal",
        "Loader" => "Carregador",
        "{load}: now" => "{load}: agora",
        "{load}: done" => "{load}: concluído",
        "Files the phones will fetch" => "Arquivos que os telefones vão buscar",
        "What you do" => "O que você faz",
        "(every file of the package)" => "(todos os arquivos do pacote)",
        "Notes" => "Observações",
        "Warnings" => "Avisos",
        "This route is refused" => "Esta rota é recusada",
        "A signed image (5.0 or later) cannot be undone: the phone will never accept a pre-5.0 image again." => {
            "Uma imagem assinada (5.0 ou posterior) não pode ser desfeita: o telefone nunca mais aceitará uma imagem anterior à 5.0."
        }
        "Missing package for this route: {load}. Add it on the previous step." => {
            "Falta um pacote para esta rota: {load}. Adicione-o no passo anterior."
        }
        "Phones on CUCM 5.x/6.x: no files are needed. Do this in CUCM:" => {
            "Telefones no CUCM 5.x/6.x: nenhum arquivo é necessário. Faça isto no CUCM:"
        }
        "Other ways" => "Outros caminhos",
        "Use this route" => "Usar esta rota",
        "Fix the current and target images first." => {
            "Corrija primeiro as imagens atual e de destino."
        }
        // step 4
        "Add phone" => "Adicionar telefone",
        "Paste MACs" => "Colar MACs",
        "Paste MAC addresses, one per line or separated by spaces or commas:" => {
            "Cole endereços MAC, um por linha ou separados por espaços ou vírgulas:"
        }
        "Add these phones" => "Adicionar estes telefones",
        "Import CSV…" => "Importar CSV…",
        "Export CSV…" => "Exportar CSV…",
        "Show passwords" => "Mostrar senhas",
        "MAC" => "MAC",
        "Model" => "Modelo",
        "Line" => "Linha",
        "Extension" => "Ramal",
        "Auth name" => "Nome de autenticação",
        "Password" => "Senha",
        "Display name" => "Nome exibido",
        "Add line" => "Adicionar linha",
        "Phone" => "Telefone",
        "Passwords are written in clear text into SIP<MAC>.cnf, and TFTP sends that file unencrypted: serve it only on a network you trust, and stop serving when the phones are done." => {
            "As senhas são gravadas em texto claro em SIP<MAC>.cnf, e o TFTP envia esse arquivo sem criptografia: sirva-o apenas numa rede confiável e pare de servir quando os telefones terminarem."
        }
        "SCCP phones get their lines from CallManager: here only the MAC and model matter." => {
            "Telefones SCCP recebem as linhas do CallManager: aqui só importam o MAC e o modelo."
        }
        "SIP server" => "Servidor SIP",
        "Proxy (registrar)" => "Proxy (registrador)",
        "Port" => "Porta",
        "NTP server" => "Servidor NTP",
        "Time zone" => "Fuso horário",
        "CallManager / CME address" => "Endereço do CallManager / CME",
        "The phones register with this address after the conversion: it goes into processNodeName in SEP<MAC>.cnf.xml and XMLDefault.cnf.xml. Left empty, this computer's address is written." => {
            "Os telefones se registram neste endereço depois da conversão: ele vai em processNodeName no SEP<MAC>.cnf.xml e no XMLDefault.cnf.xml. Vazio, é gravado o endereço deste computador."
        }
        "optional" => "opcional",
        "Added {n} phones." => "{n} telefones adicionados.",
        "Imported {n} phones from {path}." => "{n} telefones importados de {path}.",
        "Exported {n} phones to {path}." => "{n} telefones exportados para {path}.",
        "CSV: {error}" => "CSV: {error}",
        "Not a MAC address: {error}" => "Não é um endereço MAC: {error}",
        "This MAC is already in the table." => "Este MAC já está na tabela.",
        "A port from 1 to 65535." => "Uma porta de 1 a 65535.",
        "A {model} has {n} lines." => "Um {model} tem {n} linhas.",
        "Add at least one phone, or go on: without phones only the shared files are written." => {
            "Adicione pelo menos um telefone, ou continue: sem telefones apenas os arquivos comuns são gravados."
        }
        "Fix the fields marked in red to continue." => {
            "Corrija os campos marcados em vermelho para continuar."
        }
        // step 5
        "TFTP folder" => "Pasta TFTP",
        "Choose…" => "Escolher…",
        "Preview" => "Pré-visualizar",
        "Write" => "Gravar",
        "Stop writing" => "Parar a gravação",
        "The stage folders of an earlier write are no longer used: the built-in server answers every phone from this stage." => {
            "As pastas de etapa de uma gravação anterior não são mais usadas: o servidor embutido atende todos os telefones a partir desta etapa."
        }
        "Will be written" => "Será gravado",
        "Already in place" => "Já no lugar",
        "Will be moved aside (backup)" => "Será posto de lado (cópia de segurança)",
        "Written: {n} files. Moved aside: {m}. Manifest: {path}" => {
            "Gravados: {n} arquivos. Postos de lado: {m}. Manifesto: {path}"
        }
        "Stage" => "Etapa",
        "Nothing is written until you press Write. Files already in the folder that would contradict this stage are moved into a backup folder, never deleted." => {
            "Nada é gravado até você pressionar Gravar. Arquivos já presentes na pasta que contradigam esta etapa são movidos para uma pasta de cópia de segurança, nunca apagados."
        }
        "Write the files to continue." => "Grave os arquivos para continuar.",
        "The session changed since the files were written: write again to continue." => {
            "A sessão mudou depois que os arquivos foram gravados: grave de novo para continuar."
        }
        "The session changed since these files were written: the TFTP folder still holds the old ones. Write again." => {
            "A sessão mudou depois que estes arquivos foram gravados: a pasta TFTP ainda tem os antigos. Grave de novo."
        }
        // step 6
        "This computer's addresses" => "Endereços deste computador",
        "Interface" => "Interface",
        "Address" => "Endereço",
        "Refresh" => "Atualizar",
        "No network address found. Connect this computer to the phones' network and press Refresh." => {
            "Nenhum endereço de rede encontrado. Conecte este computador à rede dos telefones e pressione Atualizar."
        }
        "Either: DHCP options (where you control the DHCP server)" => {
            "Ou: opções de DHCP (onde você controla o servidor DHCP)"
        }
        "Option 66 (TFTP server name, read by SIP loads): {addr}" => {
            "Opção 66 (nome do servidor TFTP, lida pelas cargas SIP): {addr}"
        }
        "Option 150 (TFTP server address, read by SCCP loads): {addr}" => {
            "Opção 150 (endereço do servidor TFTP, lida pelas cargas SCCP): {addr}"
        }
        "Option 150 as raw bytes, for DHCP servers that ask for hex: {hex}" => {
            "Opção 150 em bytes, para servidores DHCP que pedem hexadecimal: {hex}"
        }
        "Or: on each phone, set an alternate TFTP server" => {
            "Ou: em cada telefone, configure um servidor TFTP alternativo"
        }
        "Press **# to unlock the settings (password, if asked: cisco). Wait 10 s before pressing it again, or the phone reads **#** and resets." => {
            "Pressione **# para desbloquear as configurações (senha, se pedir: cisco). Espere 10 s antes de pressionar de novo, ou o telefone lê **#** e reinicia."
        }
        "Settings > Network Configuration" => "Settings > Network Configuration",
        "Alternate TFTP = Yes" => "Alternate TFTP = Yes",
        "TFTP Server 1 = {addr}" => "TFTP Server 1 = {addr}",
        "Save, then restart the phone (unplug power or the Ethernet cable for PoE)." => {
            "Save, e depois reinicie o telefone (desligue a energia ou o cabo Ethernet se for PoE)."
        }
        "Never point the network's own DHCP at this computer on a production network, and never put these files on the network's own TFTP server: every phone that boots would convert." => {
            "Nunca aponte o DHCP da própria rede para este computador numa rede de produção, e nunca coloque estes arquivos no servidor TFTP da própria rede: todo telefone que reiniciar seria convertido."
        }
        "Or: a bench, where this computer hands out the addresses" => {
            "Ou: uma bancada, em que este computador distribui os endereços"
        }
        "Connect this computer and the phones to one switch, off the office network, and give this interface a fixed address. This computer then answers DHCP for Cisco IP phones only (and the session's phones), with itself as TFTP server." => {
            "Ligue este computador e os telefones a um switch, fora da rede do escritório, e dê a esta interface um endereço fixo. Este computador então responde DHCP somente a telefones IP Cisco (e aos telefones da sessão), indicando a si mesmo como servidor TFTP."
        }
        "Bench: this computer hands out addresses" => {
            "Bancada: este computador distribui os endereços"
        }
        "Interface: {iface}" => "Interface: {iface}",
        "Check for other DHCP servers" => "Procurar outros servidores DHCP",
        "Asking for an address, about 3 seconds…" => "Pedindo um endereço, cerca de 3 segundos…",
        "No other DHCP server answered: this computer can hand out the addresses." => {
            "Nenhum outro servidor DHCP respondeu: este computador pode distribuir os endereços."
        }
        "Another DHCP server answered ({server}): this computer will not hand out addresses. Take the bench off the office network, or use that server's options 66 and 150 above." => {
            "Outro servidor DHCP respondeu ({server}): este computador não vai distribuir endereços. Tire a bancada da rede do escritório, ou use as opções 66 e 150 desse servidor, acima."
        }
        "The check failed: {error}" => "A verificação falhou: {error}",
        "If you know better" => "Se você tem certeza",
        "A second DHCP server on an office network gives PCs wrong addresses. Skip the check only on a network where you are sure no other DHCP server answers these phones." => {
            "Um segundo servidor DHCP numa rede de escritório dá endereços errados aos PCs. Pule a verificação somente numa rede em que você tem certeza de que nenhum outro servidor DHCP responde a estes telefones."
        }
        "Skip the check for other DHCP servers" => "Pular a verificação de outros servidores DHCP",
        "Leases appear here once serving has started on the Serve step." => {
            "Os empréstimos de endereço aparecem aqui quando o passo Servir começar."
        }
        "Vendor class" => "Classe do fabricante",
        "First seen" => "Visto pela primeira vez",
        "old image (before the loader)" => "imagem antiga (antes do carregador)",
        "loader era" => "era do carregador",
        "Leases" => "Endereços distribuídos",
        "Copy" => "Copiar",
        "Choose an address to continue." => "Escolha um endereço para continuar.",
        // step 7
        "Start serving" => "Começar a servir",
        "Stop" => "Parar",
        "Serving {dir}. {how}" => "Servindo {dir}. {how}",
        "Only the chosen interface is served: requests from this computer's other networks (Wi-Fi, VPN) get no answer." => {
            "Só a interface escolhida é atendida: pedidos das outras redes deste computador (Wi-Fi, VPN) ficam sem resposta."
        }
        "Allow in Windows Firewall…" => "Permitir no Firewall do Windows…",
        "Waiting for the administrator approval prompt…" => {
            "Aguardando a confirmação de administrador…"
        }
        "The firewall rule was added. Restart a phone: it asks again at boot." => {
            "A regra do firewall foi adicionada. Reinicie um telefone: ele pede de novo ao iniciar."
        }
        "Stopped." => "Parado.",
        "IP" => "IP",
        "Current file" => "Arquivo atual",
        "Files done" => "Arquivos concluídos",
        "Errors" => "Erros",
        "Finished" => "Concluído",
        "No phone has asked for a file yet. Restart a phone to begin." => {
            "Nenhum telefone pediu arquivo ainda. Reinicie um telefone para começar."
        }
        "Log" => "Registro",
        "Copy log" => "Copiar registro",
        "Export log…" => "Exportar registro…",
        "Log exported to {path}." => "Registro exportado para {path}.",
        "Stage {n} of {total} done on every phone?" => {
            "Etapa {n} de {total} concluída em todos os telefones?"
        }
        "Stage done: start the next stage" => "Etapa concluída: começar a próxima etapa",
        "Every stage is done. The phones run the target image." => {
            "Todas as etapas estão concluídas. Os telefones executam a imagem de destino."
        }
        "Port {port}" => "Porta {port}",
        "Could not start serving: {error}" => "Não foi possível começar a servir: {error}",
        "not seen yet" => "ainda não apareceu",
        "has an address" => "recebeu um endereço",
        "asking for config" => "pedindo a configuração",
        "fetching image" => "baixando a imagem",
        "image fetched, flashing and rebooting" => "imagem baixada, gravando e reiniciando",
        "back on the new image" => "de volta na nova imagem",
        "configured" => "configurado",
        "({n} earlier lines are not kept)" => "({n} linhas anteriores não foram guardadas)",
        "Never pull power while a phone writes its flash." => {
            "Nunca desligue a energia enquanto um telefone grava a memória flash."
        }
        // issue 10: each phone's own route and stages
        "Runs now" => "Executa agora",
        "What this phone runs now, when it is not the image of step 1 (or: unknown). Each phone then takes its own route." => {
            "O que este telefone executa agora, quando não é a imagem do passo 1 (ou: unknown). Cada telefone segue então a sua própria rota."
        }
        "The phones run different images: each takes its own route, and the built-in server answers each from its own stage." => {
            "Os telefones executam imagens diferentes: cada um segue a sua rota, e o servidor embutido responde a cada um com a sua própria etapa."
        }
        "no phone listed" => "nenhum telefone listado",
        "Phones: {phones}" => "Telefones: {phones}",
        "Starting image unknown, planned on this route: {phones}" => {
            "Imagem inicial desconhecida, planejada nesta rota: {phones}"
        }
        "Refused from {from}: {phones}" => "Recusada a partir de {from}: {phones}",
        "Each phone's own stages" => "As etapas de cada telefone",
        "The files above are stage 1 of the route most phones take, for any TFTP server. The built-in server answers each phone from the folder of its own current stage instead, and moves it on by itself." => {
            "Os arquivos acima são a etapa 1 da rota da maioria dos telefones, para qualquer servidor TFTP. O servidor embutido responde a cada telefone com a pasta da sua etapa atual e o avança sozinho."
        }
        "{folder}: stage {n} of {total} of {route}, installs {target}" => {
            "{folder}: etapa {n} de {total} de {route}, instala {target}"
        }
        "For: {phones}" => "Para: {phones}",
        "{w} to write, {u} already in place, {m} to move aside" => {
            "{w} a gravar, {u} já no lugar, {m} a mover para o backup"
        }
        "And {n} stage folders: the built-in server answers each phone from its own." => {
            "E {n} pastas de etapa: o servidor embutido responde a cada telefone com a sua."
        }
        "Stuck" => "Travado",
        "Stuck: {cause}" => "Travado: {cause}",
        "Stage {n} done" => "Etapa {n} concluída",
        "Stage {n}: now" => "Etapa {n}: agora",
        "Stage {n} of {total}: {route}" => "Etapa {n} de {total}: {route}",
        "Each phone is answered from the files of its own stage and moves to its next stage by itself: nothing to do between stages." => {
            "Cada telefone recebe os arquivos da sua própria etapa e passa sozinho para a próxima: nada a fazer entre as etapas."
        }
        "Only when the phones are served by another TFTP server: this writes the next stage for every phone." => {
            "Só quando os telefones são servidos por outro servidor TFTP: isto grava a próxima etapa para todos os telefones."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use convert79xx::msg::placeholders;

    /// Every literal passed to `tr(`/`trf(` in the wizard's source has a
    /// Portuguese entry, and both sides carry the same `{placeholders}`.
    #[test]
    fn every_wizard_string_is_translated() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui");
        let mut missing = Vec::new();
        let mut checked = 0;
        for source in rust_files(&dir) {
            if source.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&source).unwrap();
            for lit in literals_after(&text, &["tr(", "trf(", ".t(", ".tf("]) {
                checked += 1;
                match pt_br(&lit) {
                    None => missing.push(format!("{}: {lit:?}", source.display())),
                    Some(pt) => assert_eq!(
                        placeholders(&lit),
                        placeholders(pt),
                        "placeholders differ for {lit:?}"
                    ),
                }
            }
        }
        assert!(checked > 100, "found only {checked} translated strings");
        assert!(missing.is_empty(), "untranslated:\n{}", missing.join("\n"));
    }

    #[test]
    fn system_locale_mapping() {
        assert_eq!(Lang::from_locale("pt-BR"), Lang::PtBr);
        assert_eq!(Lang::from_locale("pt_BR.UTF-8"), Lang::PtBr);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("de"), Lang::En);
        let s = trf(
            Lang::PtBr,
            "Step {n} of {total}",
            &[("n", &2), ("total", &7)],
        );
        assert_eq!(s, "Passo 2 de 7");
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    /// String literals that follow one of `calls`, skipping the `lang, ` argument.
    fn literals_after(text: &str, calls: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for call in calls {
            let mut rest = text;
            while let Some(i) = rest.find(call) {
                rest = &rest[i + call.len()..];
                // the literal is the first `"` before the closing paren or comma run
                let head: String = rest.chars().take(60).collect();
                let Some(q) = head.find('"') else { continue };
                if head[..q].contains(')') {
                    continue;
                }
                let after = &rest[q + 1..];
                let mut lit = String::new();
                let mut chars = after.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                lit.push(match n {
                                    'n' => '\n',
                                    other => other,
                                });
                            }
                        }
                        '"' => break,
                        c => lit.push(c),
                    }
                }
                out.push(lit);
            }
        }
        out
    }
}
