//! Brazilian Portuguese for serving: why a phone is stuck, the TFTP root's
//! warnings, the bench DHCP server, why a request was refused, the per-OS
//! bind advice and the Windows firewall rule. Same voice as `pt_br.rs`.

pub(super) const TABLE: &[(&str, &str)] = &[
    // why a phone is stuck on its stage
    (
        "stuck.not_found",
        "pediu {attempts} vezes {file}, que a pasta da etapa dele {folder} não tem: o telefone mantém a imagem antiga (e um carregador sem o aplicativo mostra \"Protocol Application Invalid\"). Confira que o pacote de firmware contém essa carga e execute o `convert79xx prepare` de novo; se o nome não é a imagem desta rota, o telefone executa outra carga do que a sessão diz: defina o `from` dele.",
    ),
    (
        "stuck.refused",
        "pediu {attempts} vezes {file}, e o pedido foi recusado ({why}): o telefone mantém a imagem antiga.",
    ),
    (
        "stuck.failed",
        "a transferência de {file} falhou {attempts} vezes ({why}): confira o cabo e que nenhum outro servidor TFTP ou DHCP responde nesta rede. Um telefone SCCP antigo indo direto para o SIP 3.x/4.x falha assim (\"State Error\"): siga a rota segura pelo SIP 2.3 (R1a).",
    ),
    (
        "stuck.rejected",
        "baixou {file} por inteiro {attempts} vezes e pede de novo: o telefone rejeita a imagem. \"Image Authentication Failed\" indica uma imagem corrompida ou copiada à mão, ou uma imagem assinada voltando para antes da 5.0; \"Protocol Application Invalid\" indica que o carregador não consegue carregar o aplicativo (uma configuração XML sem callManagerGroup, ou um arquivo do pacote faltando).",
    ),
    // serving: the TFTP root, the bench DHCP server, the commands' words
    (
        "serve.warning.lacks_one",
        "falta {files} da etapa {stage} em {root}: os telefones que o pedirem vão ouvir \"não encontrado\". Prepare esta etapa de novo (`convert79xx prepare`, ou Gravar na etapa Arquivos do assistente).",
    ),
    (
        "serve.warning.lacks",
        "faltam {files} da etapa {stage} em {root}: os telefones que os pedirem vão ouvir \"não encontrado\". Prepare esta etapa de novo (`convert79xx prepare`, ou Gravar na etapa Arquivos do assistente).",
    ),
    (
        "serve.warning.manifest_unreadable",
        "não foi possível ler {path}: {error}; os telefones são julgados pelos arquivos da raiz",
    ),
    (
        "serve.warning.not_a_manifest",
        "{path} não é um manifesto gravado pelo convert79xx ({error}); os telefones são julgados pelos arquivos da raiz. O `convert79xx prepare` grava um novo.",
    ),
    (
        "serve.warning.state_unreadable",
        "não foi possível ler {path} ({error}): todos os telefones começam na etapa 1 da rota deles",
    ),
    (
        "serve.warning.not_a_state",
        "{path} não é um estado gravado pelo convert79xx ({error}): todos os telefones começam na etapa 1 da rota deles",
    ),
    (
        "serve.ladder.unreadable",
        "não foi possível ler {path}: {error}",
    ),
    (
        "serve.ladder.not_a_ladder",
        "{path} não é uma escada de etapas gravada pelo convert79xx ({error}): execute o `convert79xx prepare` de novo",
    ),
    (
        "serve.ladder.folder_unreadable",
        "não foi possível ler a pasta da etapa {folder} ({error}): execute o `convert79xx prepare` de novo",
    ),
    (
        "serve.error.root",
        "a raiz do TFTP {root} não pode ser usada: {error}. Confira que a pasta existe (execute o `convert79xx prepare` antes) e que você pode lê-la.",
    ),
    (
        "serve.error.root_not_folder",
        "a raiz do TFTP {root} não é uma pasta.",
    ),
    (
        "serve.error.not_on_interface",
        "{bind} não é o endereço da interface {interface} ({address}). Use --bind {address}, ou --bind 0.0.0.0 para escutar em todos os endereços e atender só a {interface}, ou deixe o --bind de fora.",
    ),
    (
        "serve.error.bind",
        "não foi possível escutar em UDP {addr}: {error}",
    ),
    (
        "serve.error.no_runtime",
        "o serviço TFTP precisa de um runtime tokio (erro interno)",
    ),
    (
        "serve.error.secrets",
        "{root} não parece uma pasta feita para os telefones: ela contém {found}. Tudo o que pode ser lido nela poderia ser baixado por qualquer um na rede.",
    ),
    (
        "serve.secrets.file_system",
        "o sistema de arquivos inteiro (é a pasta raiz)",
    ),
    ("serve.secrets.etc", "a configuração do sistema (/etc)"),
    (
        "serve.secrets.system",
        "os arquivos do próprio sistema operacional ({folder})",
    ),
    ("serve.secrets.home", "a sua pasta pessoal"),
    (
        "serve.secrets.session",
        "{name} (um arquivo de sessão com as senhas dos telefones)",
    ),
    (
        "serve.secrets.dotfiles",
        "os arquivos ocultos de uma pasta pessoal ({names})",
    ),
    (
        "dhcp.pool.syntax",
        "\"{text}\" não é uma faixa de endereços: informe dois endereços IPv4 unidos por um hífen, por exemplo 192.168.10.100-192.168.10.199",
    ),
    (
        "dhcp.pool.reversed",
        "a faixa {pool} termina antes de começar: informe o endereço menor primeiro",
    ),
    (
        "dhcp.pool.off_subnet_example",
        "a faixa {pool} não está na sub-rede {network}/{prefix} de {interface}: informe endereços dentro dela, por exemplo {example}",
    ),
    (
        "dhcp.pool.off_subnet",
        "a faixa {pool} não está na sub-rede {network}/{prefix} de {interface}: informe endereços dentro dela",
    ),
    (
        "dhcp.pool.too_small",
        "{interface} tem o endereço {addr}/{prefix}, uma sub-rede sem espaço para telefones: dê antes à interface um endereço como 192.168.10.1/24",
    ),
    (
        "dhcp.error.no_such_interface",
        "não há nenhuma interface de rede chamada \"{name}\" com um endereço IPv4. {available}",
    ),
    (
        "dhcp.error.choose_interface",
        "este computador tem várias interfaces de rede; escolha a que está voltada para os telefones com --dhcp-interface. {available}",
    ),
    (
        "dhcp.error.no_interface",
        "este computador não tem nenhuma interface de rede com endereço IPv4. Conecte-o ao switch dos telefones e dê a essa interface um endereço fixo como 192.168.10.1/24.",
    ),
    (
        "dhcp.interfaces.none",
        "Nenhuma interface aqui tem endereço IPv4.",
    ),
    ("dhcp.interfaces.here", "Interfaces aqui: {list}."),
    (
        "dhcp.error.router_off_subnet",
        "o roteador {router} não está na sub-rede {network}/{prefix} de {interface}: informe um roteador da sub-rede, ou nenhum (uma bancada não precisa)",
    ),
    (
        "dhcp.error.port_busy",
        "a porta UDP {port} em {interface} já está em uso por outro servidor DHCP neste computador ({others}, {vm}). Pare-o, ou deixe o DHCP com ele e defina as opções 150 e 66 dele para este computador.",
    ),
    (
        "dhcp.error.vm_service",
        "um serviço de rede de máquina virtual",
    ),
    (
        "dhcp.error.vm_service_libvirt",
        "um serviço de rede de máquina virtual como o do libvirt",
    ),
    (
        "dhcp.error.client_port",
        "a porta UDP {port} em {interface} está ocupada por um cliente DHCP, então a verificação de outros servidores DHCP não consegue escutar. Dê a {interface} um endereço fixo em vez de DHCP, ou, se você tem certeza de que não há outro servidor DHCP nela, pule a verificação com --dhcp-force.",
    ),
    (
        "dhcp.error.bind",
        "não foi possível usar a porta UDP {port} em {interface}: {error}",
    ),
    (
        "dhcp.error.other_server",
        "outro servidor DHCP ({server}) respondeu em {interface}, então este computador não vai entregar endereços: dois servidores DHCP numa rede dão endereços errados aos PCs. Tire a bancada (este computador, o switch e os telefones) da rede do escritório, ou deixe o DHCP com o servidor do escritório e defina as opções 150 e 66 dele para este computador, como mostra a etapa Rede. Se tiver certeza, --dhcp-force pula esta verificação.",
    ),
    (
        "dhcp.error.no_runtime",
        "o servidor DHCP precisa de um runtime tokio (erro interno)",
    ),
    (
        "dhcp.error.cap_net_raw",
        "{message} O servidor DHCP também prende o socket dele a {interface}: no Linux antes do 5.7 isso precisa também de `cap_net_raw` (setcap 'cap_net_bind_service,cap_net_raw=+ep'), ou execute-o com sudo.",
    ),
    (
        "gui.serve.address_gone",
        "{address} não é mais um endereço deste computador: escolha de novo a interface da bancada (Atualizar).",
    ),
    (
        "gui.serve.cap_net_raw",
        "{message} O servidor DHCP também prende o socket dele à interface da bancada: no Linux antes do 5.7 isso precisa também de cap_net_raw, então use 'cap_net_bind_service,cap_net_raw=+ep' nesse comando.",
    ),
    (
        "tftp.failed.timeout_advice",
        "O telefone parou de responder: pode ter reiniciado ou perdido a rede. Ele pede de novo na próxima inicialização.",
    ),
    (
        "tftp.failed.aborted_advice",
        "O telefone cancelou a transferência (as palavras dele estão entre parênteses). Ele pede de novo na próxima inicialização.",
    ),
    (
        "tftp.failed.disk_advice",
        "O arquivo não pôde ser lido: grave a etapa de novo.",
    ),
    (
        "gui.serve.other_target",
        "{root} contém os arquivos para {target} (etapa {stage} de {stages}), mas a sessão converte para {to}: grave os arquivos de novo na etapa Arquivos.",
    ),
    (
        "gui.serve.folder_unreadable",
        "não foi possível ler a pasta do TFTP {folder}: {error}. Grave os arquivos na etapa Arquivos antes.",
    ),
    ("cli.serve.warning", "aviso: {warning}"),
    (
        "cli.serve.no_runtime",
        "não foi possível iniciar o runtime assíncrono: {error}",
    ),
    (
        "cli.serve.root_unreadable",
        "não foi possível ler a raiz do TFTP {root}: {error}. Informe a pasta que o `convert79xx prepare --out` gravou.",
    ),
    (
        "cli.serve.other_target",
        "{root} foi preparada para {target} (etapa {stage} de {stages}), mas {session} converte para {to}: execute o `convert79xx prepare` para esta sessão antes.",
    ),
    (
        "cli.serve.no_such_interface",
        "--interface {name}: não há nenhuma interface de rede chamada \"{name}\" com um endereço IPv4. {available}",
    ),
    (
        "cli.serve.session_invalid",
        "arquivo de sessão {path}: {error}",
    ),
    (
        "cli.serve.force",
        "{error} Sirva a pasta que o `convert79xx prepare --out` gravou. Se tiver certeza, acrescente --force.",
    ),
    (
        "cli.serve.not_folder",
        "{error} Informe a pasta que o `convert79xx prepare --out` gravou.",
    ),
    ("cli.serve.ctrl_c", "Pressione Ctrl-C para parar."),
    // why the TFTP server refused a request
    (
        "tftp.refused.long",
        "nome maior que {max} bytes ({n} bytes)",
    ),
    ("tftp.refused.nul", "o nome contém um byte NUL"),
    (
        "tftp.refused.backslash",
        "o nome contém uma barra invertida (só '/' separa pastas)",
    ),
    (
        "tftp.refused.colon",
        "o nome contém ':' (letras de unidade e fluxos são recusados)",
    ),
    (
        "tftp.refused.control",
        "o nome contém caracteres de controle",
    ),
    ("tftp.refused.parent", "o nome sai da pasta com '..'"),
    ("tftp.refused.no_name", "nenhum nome de arquivo"),
    (
        "tftp.refused.temporary",
        "um arquivo temporário do convert79xx",
    ),
    ("tftp.refused.hidden", "nome oculto (começa com '.')"),
    (
        "tftp.refused.bookkeeping",
        "registros do próprio convert79xx (o manifesto ou uma pasta de backup, que guarda senhas anteriores)",
    ),
    (
        "tftp.refused.session",
        "um arquivo de sessão (.toml), que guarda as senhas dos telefones",
    ),
    (
        "tftp.refused.device",
        "'{name}' é um nome de dispositivo reservado no Windows",
    ),
    (
        "tftp.refused.link_outside",
        "um link que aponta para fora da raiz do TFTP",
    ),
    (
        "tftp.refused.case",
        "vários arquivos correspondem a '{name}' quando se ignoram maiúsculas e minúsculas; renomeie todos menos um",
    ),
    (
        "tftp.refused.links",
        "mais de {max} links seguidos (um laço?)",
    ),
    (
        "tftp.refused.link_utf8",
        "um link para um nome que não é UTF-8",
    ),
    (
        "tftp.refused.link_absolute",
        "um link para um caminho absoluto (os links só são seguidos com um destino relativo dentro da raiz)",
    ),
    (
        "tftp.refused.not_regular",
        "não é um arquivo comum (um dispositivo, pipe ou socket)",
    ),
    (
        "tftp.refused.permissions",
        "o servidor não tem permissão para lê-lo (permissões do arquivo)",
    ),
    (
        "tftp.refused.unsafe",
        "não foi possível abri-lo com segurança ({error}); ele foi trocado por um link durante a abertura?",
    ),
    (
        "tftp.refused.mail",
        "o modo 'mail' não é suportado: peça o modo octet (binário)",
    ),
    (
        "tftp.refused.too_big",
        "{size} bytes é mais do que qualquer arquivo de telefone (são servidos no máximo {max} MiB)",
    ),
    (
        "tftp.refused.read_only",
        "somente leitura: este servidor nunca aceita envios",
    ),
    (
        "tftp.refused.held_back",
        "o telefone {mac} está retido: a rota dele é recusada ({reason})",
    ),
    // binding the TFTP port, per OS, and the Windows firewall rule
    (
        "bind.not_here.wizard",
        "{address} não é mais um endereço deste computador (o cabo ou o Wi-Fi mudou?). Volte à etapa Rede e escolha de novo a interface da bancada.",
    ),
    (
        "bind.not_here.cli",
        "{address} não é um endereço deste computador. Informe um dos endereços dele com --bind, ou uma interface com --interface.",
    ),
    (
        "bind.other",
        "não foi possível escutar na porta UDP {port} ({addr}).",
    ),
    (
        "bind.privilege",
        "O {os} não deixa este programa escutar na porta UDP {port}. {how}",
    ),
    ("bind.os.other", "este sistema"),
    (
        "bind.privilege.unix_cli",
        "Portas abaixo de 1024 precisam de uma capability: dê-a ao programa uma vez com `sudo setcap 'cap_net_bind_service=+ep' {exe}` e execute-o de novo como você mesmo.",
    ),
    (
        "bind.privilege.unix_wizard",
        "Portas abaixo de 1024 precisam de uma capability que um administrador dá ao programa uma vez, num terminal: `setcap 'cap_net_bind_service=+ep' {exe}` (como root). Depois abra o assistente de novo, como sempre.",
    ),
    (
        "bind.privilege.macos",
        "O macOS 10.14 e posteriores deixam qualquer usuário escutar em todos os endereços; este Mac recusou até isso, então ele é mais antigo ou gerenciado por um perfil que o proíbe. Atualize o macOS, ou pergunte a quem gerencia este Mac.",
    ),
    (
        "bind.privilege.windows",
        "O Windows não tem portas privilegiadas, então outro programa ocupa esta porta com exclusividade (Tftpd64, SolarWinds TFTP, uma ferramenta de fabricante de telefones). Feche-o e comece de novo.",
    ),
    (
        "bind.in_use.windows",
        "o Tftpd64/Tftpd32, o SolarWinds TFTP Server ou outra ferramenta TFTP",
    ),
    (
        "bind.in_use.macos",
        "o tftpd do próprio macOS (iniciado pelo launchd quando ativado), ou outra ferramenta TFTP",
    ),
    ("bind.in_use.unix", "o tftpd-hpa, o atftpd ou o dnsmasq"),
    (
        "bind.in_use.cli",
        "A porta UDP {port} já está em uso por outro servidor TFTP, provavelmente {who}. Pare esse programa e comece de novo (só para testes, --port escolhe outra porta; os telefones sempre usam a 69).",
    ),
    (
        "bind.in_use.wizard",
        "A porta UDP {port} já está em uso por outro servidor TFTP, provavelmente {who}. Pare esse programa e comece de novo.",
    ),
    (
        "firewall.by_hand",
        "Adicione-a à mão num terminal de administrador: {command}",
    ),
    (
        "firewall.not_windows",
        "Só o Windows tem esta regra de firewall a adicionar. {by_hand}",
    ),
    (
        "firewall.no_powershell",
        "não foi possível iniciar o PowerShell ({error}). {by_hand}",
    ),
    (
        "firewall.not_added",
        "A regra de firewall não foi adicionada (o pedido foi recusado, ou o netsh falhou). {by_hand}",
    ),
    (
        "firewall.not_added_why",
        "A regra de firewall não foi adicionada (o pedido foi recusado, ou o netsh falhou: {why}). {by_hand}",
    ),
    // the conversion report (CSV)
    ("report.column.mac", "MAC"),
    ("report.column.ip", "Endereço"),
    ("report.column.model", "Modelo"),
    ("report.column.ran_before", "Executava antes"),
    ("report.column.route", "Rota"),
    ("report.column.stages_done", "Etapas concluídas"),
    ("report.column.finished_at", "Concluído em (UTC)"),
    ("report.column.result", "Resultado"),
    ("report.column.problems", "Problemas"),
    ("report.column.resolved", "Resolvidos antes"),
    ("report.route", "{key}: {title}"),
    ("report.stages_done", "{done} de {stages}"),
    ("report.result.finished", "concluído"),
    ("report.result.stuck", "travado"),
    ("report.result.not_in_session", "fora da sessão"),
    ("report.result.not_seen", "não visto"),
    ("report.result.not_finished", "não concluído: {phase}"),
    (
        "cli.serve.report_kept",
        "{path} não era um relatório de conversão: movido para {backup}",
    ),
    (
        "cli.serve.report_failed",
        "não foi possível gravar o relatório {path}: {error}",
    ),
    // the wizard's Serve step
    (
        "gui.serve.confirm_stop",
        "{phones} estão no meio de uma transferência ou entre duas etapas. Parar o servidor agora os deixa no meio do caminho: eles pedem de novo no próximo boot, e um telefone entre etapas fica na imagem que executa. Parar mesmo assim?",
    ),
    ("gui.serve.stop_anyway", "Parar mesmo assim"),
    ("gui.serve.keep_serving", "Continuar servindo"),
    (
        "gui.serve.resolved",
        "{count} problema(s) anterior(es), resolvido(s) depois (passe o mouse para ler)",
    ),
    // the bench's leases on the Serve step
    (
        "gui.bench.no_lease_yet",
        "Nenhum telefone pediu endereço ainda: reinicie um telefone ligado ao switch da bancada.",
    ),
    (
        "gui.bench.leases_after_start",
        "Os empréstimos de endereço aparecem aqui quando você começar a servir.",
    ),
    // the wizard's box for a file dialog that could not open
    (
        "gui.dialog.zenity_failed",
        "A janela de arquivos do zenity não abriu: {detail}",
    ),
    (
        "gui.dialog.failed",
        "A janela de arquivos do sistema não abriu: {detail}",
    ),
    // the wizard's Files step
    (
        "gui.files.folder_refused",
        "{error} O servidor embutido não vai servi-la, então nada é gravado lá: escolha uma pasta vazia para os arquivos dos telefones (Escolher…).",
    ),
    ("gui.files.writing", "Gravando os arquivos…"),
    (
        "gui.files.cannot_write",
        "Os arquivos não podem ser gravados: corrija o que está em vermelho acima e depois clique em Gravar.",
    ),
    ("gui.files.previewing", "Calculando quais arquivos gravar…"),
    (
        "gui.files.host_address",
        "O endereço deste computador para os telefones:",
    ),
    (
        "gui.files.host_address_why",
        "Os arquivos XML o indicam como o CallManager dos telefones (processNodeName), já que a sessão não indica nenhum, e o servidor embutido atende nele. É a mesma escolha do passo Rede: mudá-la depois exige gravar de novo.",
    ),
    (
        "gui.serve.written_for_other_address",
        "Os arquivos foram gravados para {was}, e este computador agora atende em {now}: os arquivos XML indicam {was} como o CallManager dos telefones. Grave os arquivos de novo no passo Arquivos primeiro.",
    ),
    (
        "gui.serve.written_stale",
        "A sessão mudou desde que os arquivos foram gravados: a pasta TFTP ainda tem os antigos. Grave os arquivos de novo no passo Arquivos primeiro.",
    ),
    ("gui.serve.go_to_files", "Ir para o passo Arquivos"),
    // the wizard's conversion report
    ("gui.serve.export_report", "Exportar relatório…"),
    (
        "gui.serve.report_after_start",
        "Comece a servir primeiro: o relatório acompanha os telefones a partir daí.",
    ),
    (
        "gui.serve.report_what",
        "Uma linha por telefone: MAC, modelo, o que executava, rota, etapas concluídas, quando terminou, resultado, problemas vistos (CSV, abre numa planilha).",
    ),
    (
        "gui.pick.export_report",
        "Onde salvar o relatório da conversão (.csv).",
    ),
    (
        "gui.serve.report_is_folder",
        "{path} é uma pasta: dê um nome de arquivo para o relatório.",
    ),
    (
        "gui.serve.report_exported",
        "Relatório exportado para {path}.",
    ),
    (
        "gui.serve.report_exported_kept",
        "Relatório exportado para {path}. O arquivo que estava lá foi movido para {backup}.",
    ),
    (
        "gui.serve.report_failed",
        "Não foi possível gravar o relatório {path}: {error}. Escolha outro lugar.",
    ),
    // the wizard's Phones step
    (
        "gui.phones.type_mac",
        "digite o MAC dele (impresso embaixo do telefone, por exemplo 00:1E:4A:12:34:56)",
    ),
];
