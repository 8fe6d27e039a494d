//! The wizard's own words (ids `gui.*`), in the order the wizard shows
//! them: its frame, each step, and the routes' drawings.

pub(super) const TABLE: &[(&str, &str)] = &[
    // frame
    (
        "gui.frame.window_title",
        "convert79xx: Cisco 7940/7960 SCCP / SIP",
    ),
    ("gui.frame.back", "Voltar"),
    ("gui.frame.next", "Avançar"),
    ("gui.frame.session", "Sessão"),
    ("gui.frame.new", "Nova"),
    ("gui.frame.open", "Abrir…"),
    ("gui.frame.save", "Salvar"),
    ("gui.frame.save_as", "Salvar como…"),
    ("gui.frame.language", "Idioma"),
    ("gui.frame.step_n_of_total", "Passo {n} de {total}"),
    ("gui.frame.session_saved_path", "Sessão salva: {path}"),
    ("gui.frame.session_opened_path", "Sessão aberta: {path}"),
    (
        "gui.frame.open_failed",
        "Não foi possível abrir a sessão: {error}",
    ),
    (
        "gui.frame.save_failed",
        "Não foi possível salvar a sessão: {error}",
    ),
    ("gui.frame.working", "Trabalhando…"),
    ("gui.frame.no_file_dialog", "Sem janela de arquivos"),
    (
        "gui.frame.no_file_dialog_intro",
        "Nenhuma janela de arquivos pode abrir neste computador. Digite ou cole o caminho:",
    ),
    ("gui.frame.path", "Caminho"),
    ("gui.frame.ok", "OK"),
    ("gui.frame.cancel", "Cancelar"),
    (
        "gui.pick.packages",
        "Um pacote de firmware: um zip ou um arquivo de imagem.",
    ),
    (
        "gui.pick.package_folder",
        "Uma pasta com um pacote de firmware.",
    ),
    (
        "gui.pick.open_session",
        "O arquivo de sessão a abrir (.toml).",
    ),
    ("gui.pick.save_session", "Onde salvar a sessão (.toml)."),
    (
        "gui.pick.import_csv",
        "O arquivo CSV de telefones a importar.",
    ),
    ("gui.pick.export_csv", "Onde salvar os telefones em CSV."),
    (
        "gui.pick.tftp_folder",
        "A pasta de onde os telefones leem seus arquivos.",
    ),
    ("gui.pick.export_log", "Onde salvar o registro."),
    // step titles and why
    ("gui.step.current.title", "Imagem atual"),
    ("gui.step.target.title", "Destino e firmware"),
    ("gui.step.route.title", "Rota"),
    ("gui.step.phones.title", "Telefones e contas"),
    ("gui.step.files.title", "Arquivos"),
    ("gui.step.network.title", "Rede"),
    ("gui.step.serve.title", "Servir"),
    (
        "gui.step.current.why",
        "A rota depende do que os telefones executam agora: algumas cargas antigas precisam de um passo intermediário, e cargas assinadas não voltam atrás.",
    ),
    (
        "gui.step.target.why",
        "Os telefones buscam a nova imagem neste computador, então os pacotes de firmware precisam estar aqui, completos e íntegros.",
    ),
    (
        "gui.step.route.why",
        "Leia o plano antes de gravar qualquer coisa: ele diz o que você fará em cada telefone e o que não pode ser desfeito.",
    ),
    (
        "gui.step.phones.why",
        "Cada telefone precisa do seu próprio arquivo de configuração, com o nome do seu endereço MAC, com suas linhas e contas.",
    ),
    (
        "gui.step.files.why",
        "Os telefones leem estes arquivos de uma pasta TFTP; veja cada arquivo antes de ele ser gravado ou posto de lado.",
    ),
    (
        "gui.step.network.why",
        "Os telefones precisam encontrar este computador: pelo DHCP ou digitando o endereço dele em cada telefone.",
    ),
    (
        "gui.step.serve.why",
        "Sirva os arquivos e acompanhe cada telefone até ele executar a nova imagem.",
    ),
    // step 1
    ("gui.current.direction", "Direção"),
    ("gui.current.sccp_to_sip", "SCCP para SIP"),
    ("gui.current.sip_to_sccp", "SIP para SCCP"),
    (
        "gui.current.same_protocol_upgrade",
        "Mesmo protocolo (atualização)",
    ),
    (
        "gui.current.image_the_phones_run",
        "Imagem que os telefones executam agora",
    ),
    (
        "gui.current.load_example",
        "Um nome de carga (P00308010200, P0S3-8-12-00) ou uma família e versão (sccp 8.1(2), sip 7.4).",
    ),
    (
        "gui.current.where_to_read",
        "Onde ler: no telefone, pressione Settings > Status > Firmware Versions; o App Load ID é o nome da carga.",
    ),
    (
        "gui.current.default_model",
        "Modelo do telefone (padrão para os que não informam)",
    ),
    (
        "gui.current.cucm",
        "Os telefones são gerenciados pelo Cisco Unified Communications Manager 5.x/6.x",
    ),
    ("gui.current.recognised", "Reconhecido: {what}"),
    (
        "gui.common.wrong_direction",
        "Isto não corresponde à direção escolhida.",
    ),
    (
        "gui.blocked.fix_load",
        "Corrija o nome da carga para continuar.",
    ),
    (
        "gui.blocked.type_current",
        "Digite a imagem atual para continuar.",
    ),
    // step 2
    ("gui.target.target_image", "Imagem de destino"),
    (
        "gui.target.target_help",
        "A carga em que os telefones devem terminar, por ex. P0S3-8-12-00 ou sip 8.12.",
    ),
    ("gui.target.firmware_packages", "Pacotes de firmware"),
    ("gui.target.add_packages", "Adicionar pacotes…"),
    ("gui.target.add_a_folder", "Adicionar uma pasta…"),
    (
        "gui.target.or_drop",
        "ou solte arquivos zip, pastas ou imagens nesta janela.",
    ),
    (
        "gui.frame.drop_here",
        "Solte para abrir uma sessão ou adicionar pacotes de firmware",
    ),
    ("gui.target.checking", "Verificando…"),
    ("gui.common.remove", "Remover"),
    ("gui.target.loads", "Cargas: {loads}"),
    (
        "gui.frame.target_from_package",
        "Imagem de destino definida pelo pacote: {load}",
    ),
    (
        "gui.target.checksums_good",
        "{n} arquivos, todas as somas de verificação corretas",
    ),
    (
        "gui.target.no_packages_yet",
        "Nenhum pacote ainda. Os pacotes da Cisco têm nomes como cmterm-7940-7960-sip.8-12-00.zip ou P0S3-8-12-00.zip.",
    ),
    (
        "gui.blocked.type_target",
        "Digite a imagem de destino para continuar.",
    ),
    // step 3
    (
        "gui.route.stage_n_install_target",
        "Etapa {n}: instalar {target}",
    ),
    ("gui.route.stage_n", "Etapa {n}"),
    ("gui.route.signed", "assinada"),
    ("gui.route.unsigned", "não assinada"),
    ("gui.route.no_way_back", "sem volta"),
    // the tech note's own term
    (
        "gui.route.universal_application_loader",
        "Carregador de aplicativo universal",
    ),
    ("gui.route.loader", "Carregador"),
    ("gui.route.load_now", "{load}: agora"),
    ("gui.route.load_done", "{load}: concluído"),
    (
        "gui.route.files_the_phones_will",
        "Arquivos que os telefones vão buscar",
    ),
    ("gui.route.what_you_do", "O que você faz"),
    ("gui.route.every_file", "(todos os arquivos do pacote)"),
    ("gui.route.notes", "Observações"),
    ("gui.route.warnings", "Avisos"),
    ("gui.route.this_route_is_refused", "Esta rota é recusada"),
    (
        "gui.route.a_signed_image_5",
        "Uma imagem assinada (5.0 ou posterior) não pode ser desfeita: o telefone nunca mais aceitará uma imagem anterior à 5.0.",
    ),
    (
        "gui.route.missing_package",
        "Falta um pacote para esta rota: {load}. Adicione-o no passo anterior.",
    ),
    (
        "gui.route.phones_on_cucm_5",
        "Telefones no CUCM 5.x/6.x: nenhum arquivo é necessário. Faça isto no CUCM:",
    ),
    ("gui.route.other_ways", "Outros caminhos"),
    ("gui.route.use_this_route", "Usar esta rota"),
    (
        "gui.blocked.fix_images",
        "Corrija primeiro as imagens atual e de destino.",
    ),
    // step 4
    ("gui.phones.add_phone", "Adicionar telefone"),
    ("gui.phones.paste_macs", "Colar MACs"),
    (
        "gui.phones.paste_mac_addresses_one",
        "Cole endereços MAC, um por linha ou separados por espaços ou vírgulas:",
    ),
    ("gui.phones.add_these_phones", "Adicionar estes telefones"),
    ("gui.phones.import_csv", "Importar CSV…"),
    ("gui.phones.export_csv", "Exportar CSV…"),
    ("gui.phones.show_passwords", "Mostrar senhas"),
    ("gui.common.mac", "MAC"),
    ("gui.phones.model", "Modelo"),
    ("gui.phones.line", "Linha"),
    ("gui.phones.extension", "Ramal"),
    ("gui.phones.auth_name", "Nome de autenticação"),
    ("gui.phones.password", "Senha"),
    ("gui.phones.display_name", "Nome exibido"),
    ("gui.phones.add_line", "Adicionar linha"),
    ("gui.phones.phone", "Telefone"),
    (
        "gui.phones.passwords_in_clear",
        "As senhas são gravadas em texto claro em SIP<MAC>.cnf, e o TFTP envia esse arquivo sem criptografia: sirva-o apenas numa rede confiável e pare de servir quando os telefones terminarem.",
    ),
    (
        "gui.phones.sccp_phones_get_their",
        "Telefones SCCP recebem as linhas do CallManager: aqui só importam o MAC e o modelo.",
    ),
    ("gui.phones.sip_server", "Servidor SIP"),
    ("gui.phones.proxy_registrar", "Proxy (registrador)"),
    ("gui.common.port", "Porta"),
    ("gui.phones.ntp_server", "Servidor NTP"),
    ("gui.phones.time_zone", "Fuso horário"),
    (
        "gui.phones.callmanager_cme_address",
        "Endereço do CallManager / CME",
    ),
    (
        "gui.phones.register_with",
        "Os telefones se registram neste endereço depois da conversão: ele vai em processNodeName no SEP<MAC>.cnf.xml e no XMLDefault.cnf.xml. Vazio, é gravado o endereço deste computador.",
    ),
    ("gui.phones.optional", "opcional"),
    ("gui.frame.added_n_phones", "{n} telefones adicionados."),
    (
        "gui.frame.csv_imported",
        "{n} telefones importados de {path}.",
    ),
    (
        "gui.frame.csv_exported",
        "{n} telefones exportados para {path}.",
    ),
    ("gui.frame.csv_error", "CSV: {error}"),
    (
        "gui.frame.not_a_mac_address",
        "Não é um endereço MAC: {error}",
    ),
    (
        "gui.phones.this_mac_is_already",
        "Este MAC já está na tabela.",
    ),
    ("gui.form.port_range", "Uma porta de 1 a 65535."),
    ("gui.phones.a_model_has_n", "Um {model} tem {n} linhas."),
    (
        "gui.phones.add_at_least_one",
        "Adicione pelo menos um telefone, ou continue: sem telefones apenas os arquivos comuns são gravados.",
    ),
    (
        "gui.blocked.fix_fields",
        "Corrija os campos marcados em vermelho para continuar.",
    ),
    // step 5
    ("gui.files.tftp_folder", "Pasta TFTP"),
    ("gui.files.choose", "Escolher…"),
    ("gui.files.preview", "Pré-visualizar"),
    ("gui.files.write", "Gravar"),
    ("gui.files.stop_writing", "Parar a gravação"),
    (
        "gui.files.ladder_removed",
        "As pastas de etapa de uma gravação anterior não são mais usadas: o servidor embutido atende todos os telefones a partir desta etapa.",
    ),
    ("gui.files.will_be_written", "Será gravado"),
    ("gui.files.already_in_place", "Já no lugar"),
    (
        "gui.files.will_be_moved_aside",
        "Será posto de lado (cópia de segurança)",
    ),
    (
        "gui.files.written",
        "Gravados: {n} arquivos. Postos de lado: {m}. Manifesto: {path}",
    ),
    ("gui.common.stage", "Etapa"),
    (
        "gui.files.nothing_until_write",
        "Nada é gravado até você pressionar Gravar. Arquivos já presentes na pasta que contradigam esta etapa são movidos para uma pasta de cópia de segurança, nunca apagados.",
    ),
    (
        "gui.blocked.write_files",
        "Grave os arquivos para continuar.",
    ),
    (
        "gui.blocked.write_again",
        "A sessão mudou depois que os arquivos foram gravados: grave de novo para continuar.",
    ),
    (
        "gui.files.written_outdated",
        "A sessão mudou depois que estes arquivos foram gravados: a pasta TFTP ainda tem os antigos. Grave de novo.",
    ),
    // step 6
    (
        "gui.network.this_computers_addresses",
        "Endereços deste computador",
    ),
    ("gui.network.interface", "Interface"),
    ("gui.network.address", "Endereço"),
    ("gui.network.refresh", "Atualizar"),
    (
        "gui.network.no_network_address_found",
        "Nenhum endereço de rede encontrado. Conecte este computador à rede dos telefones e pressione Atualizar.",
    ),
    (
        "gui.network.either_dhcp_options",
        "Ou: opções de DHCP (onde você controla o servidor DHCP)",
    ),
    (
        "gui.network.option_66_tftp_server",
        "Opção 66 (nome do servidor TFTP, lida pelas cargas SIP): {addr}",
    ),
    (
        "gui.network.option_150_tftp_server",
        "Opção 150 (endereço do servidor TFTP, lida pelas cargas SCCP): {addr}",
    ),
    (
        "gui.network.option_150_as_raw",
        "Opção 150 em bytes, para servidores DHCP que pedem hexadecimal: {hex}",
    ),
    (
        "gui.network.or_on_each_phone",
        "Ou: em cada telefone, configure um servidor TFTP alternativo",
    ),
    (
        "gui.network.unlock_settings",
        "Pressione **# para desbloquear as configurações (senha, se pedir: cisco). Espere 10 s antes de pressionar de novo, ou o telefone lê **#** e reinicia.",
    ),
    (
        "gui.network.settings_network_configuration",
        "Settings > Network Configuration",
    ),
    ("gui.network.alternate_tftp_yes", "Alternate TFTP = Yes"),
    ("gui.network.tftp_server_1_addr", "TFTP Server 1 = {addr}"),
    (
        "gui.network.save_then_restart",
        "Save, e depois reinicie o telefone (desligue a energia ou o cabo Ethernet se for PoE).",
    ),
    (
        "gui.network.never_point_the_networks",
        "Nunca aponte o DHCP da própria rede para este computador numa rede de produção, e nunca coloque estes arquivos no servidor TFTP da própria rede: todo telefone que reiniciar seria convertido.",
    ),
    (
        "gui.network.or_a_bench",
        "Ou: uma bancada, em que este computador distribui os endereços",
    ),
    (
        "gui.network.bench_how",
        "Ligue este computador e os telefones a um switch, fora da rede do escritório, e dê a esta interface um endereço fixo. Este computador então responde DHCP somente a telefones IP Cisco (e aos telefones da sessão), indicando a si mesmo como servidor TFTP.",
    ),
    (
        "gui.network.bench_this_computer_hands",
        "Bancada: este computador distribui os endereços",
    ),
    ("gui.network.interface_iface", "Interface: {iface}"),
    (
        "gui.network.check_for_other_dhcp",
        "Procurar outros servidores DHCP",
    ),
    (
        "gui.network.asking_for_an_address",
        "Pedindo um endereço, cerca de 3 segundos…",
    ),
    (
        "gui.network.no_other_dhcp_server",
        "Nenhum outro servidor DHCP respondeu: este computador pode distribuir os endereços.",
    ),
    (
        "gui.network.another_dhcp_server_answered",
        "Outro servidor DHCP respondeu ({server}): este computador não vai distribuir endereços. Tire a bancada da rede do escritório, ou use as opções 66 e 150 desse servidor, acima.",
    ),
    (
        "gui.network.the_check_failed_error",
        "A verificação falhou: {error}",
    ),
    ("gui.network.if_you_know_better", "Se você tem certeza"),
    (
        "gui.network.a_second_dhcp_server",
        "Um segundo servidor DHCP numa rede de escritório dá endereços errados aos PCs. Pule a verificação somente numa rede em que você tem certeza de que nenhum outro servidor DHCP responde a estes telefones.",
    ),
    (
        "gui.network.skip_check",
        "Pular a verificação de outros servidores DHCP",
    ),
    (
        "gui.network.leases_appear_here_once",
        "Os empréstimos de endereço aparecem aqui quando o passo Servir começar.",
    ),
    ("gui.network.vendor_class", "Classe do fabricante"),
    ("gui.network.first_seen", "Visto pela primeira vez"),
    (
        "gui.network.era.old_image",
        "imagem antiga (antes do carregador)",
    ),
    ("gui.network.era.loader", "era do carregador"),
    ("gui.serve.leases", "Endereços distribuídos"),
    ("gui.network.copy", "Copiar"),
    (
        "gui.blocked.choose_address",
        "Escolha um endereço para continuar.",
    ),
    // step 7
    ("gui.serve.start_serving", "Começar a servir"),
    ("gui.serve.stop", "Parar"),
    ("gui.serve.serving_dir_how", "Servindo {dir}. {how}"),
    (
        "gui.network.only_the_chosen_interface",
        "Só a interface escolhida é atendida: pedidos das outras redes deste computador (Wi-Fi, VPN) ficam sem resposta.",
    ),
    (
        "gui.serve.allow_in_windows_firewall",
        "Permitir no Firewall do Windows…",
    ),
    (
        "gui.serve.waiting_for_the_administrator",
        "Aguardando a confirmação de administrador…",
    ),
    (
        "gui.frame.the_firewall_rule_was",
        "A regra do firewall foi adicionada. Reinicie um telefone: ele pede de novo ao iniciar.",
    ),
    ("gui.serve.stopped", "Parado."),
    ("gui.serve.ip", "IP"),
    ("gui.serve.files_done", "Arquivos concluídos"),
    ("gui.serve.finished", "Concluído"),
    (
        "gui.serve.no_phone_has_asked",
        "Nenhum telefone pediu arquivo ainda. Reinicie um telefone para começar.",
    ),
    ("gui.serve.log", "Registro"),
    ("gui.serve.copy_log", "Copiar registro"),
    ("gui.serve.export_log", "Exportar registro…"),
    (
        "gui.frame.log_exported_to_path",
        "Registro exportado para {path}.",
    ),
    (
        "gui.serve.stage_n_of_total_done",
        "Etapa {n} de {total} concluída em todos os telefones?",
    ),
    (
        "gui.serve.start_next_stage",
        "Etapa concluída: começar a próxima etapa",
    ),
    (
        "gui.serve.every_stage_is_done",
        "Todas as etapas estão concluídas. Os telefones executam a imagem de destino.",
    ),
    (
        "gui.frame.could_not_start_serving",
        "Não foi possível começar a servir: {error}",
    ),
    (
        "gui.common.earlier_lines_not_kept",
        "({n} linhas anteriores não foram guardadas)",
    ),
    (
        "gui.serve.never_pull_power",
        "Nunca desligue a energia enquanto um telefone grava a memória flash.",
    ),
    // issue 10: each phone's own route and stages
    ("gui.phones.runs_now", "Executa agora"),
    (
        "gui.phones.what_this_phone_runs",
        "O que este telefone executa agora, quando não é a imagem do passo 1 (ou: unknown). Cada telefone segue então a sua própria rota.",
    ),
    (
        "gui.route.the_phones_run_different",
        "Os telefones executam imagens diferentes: cada um segue a sua rota, e o servidor embutido responde a cada um com a sua própria etapa.",
    ),
    ("gui.common.no_phone_listed", "nenhum telefone listado"),
    ("gui.route.phones", "Telefones: {phones}"),
    (
        "gui.route.starting_image_unknown_planned",
        "Imagem inicial desconhecida, planejada nesta rota: {phones}",
    ),
    (
        "gui.route.refused_from_from_phones",
        "Recusada a partir de {from}: {phones}",
    ),
    (
        "gui.files.each_phones_own_stages",
        "As etapas de cada telefone",
    ),
    (
        "gui.files.above_is_stage_1",
        "Os arquivos acima são a etapa 1 da rota da maioria dos telefones, para qualquer servidor TFTP. O servidor embutido responde a cada telefone com a pasta da sua etapa atual e o avança sozinho.",
    ),
    (
        "gui.files.stage_folder",
        "{folder}: etapa {n} de {total} de {route}, instala {target}",
    ),
    ("gui.files.for_phones", "Para: {phones}"),
    (
        "gui.files.counts",
        "{w} a gravar, {u} já no lugar, {m} a mover para o backup",
    ),
    (
        "gui.files.stage_folders",
        "E {n} pastas de etapa: o servidor embutido responde a cada telefone com a sua.",
    ),
    ("gui.serve.stuck", "Travado"),
    ("gui.serve.stuck_cause", "Travado: {cause}"),
    ("gui.serve.stage_n_done", "Etapa {n} concluída"),
    ("gui.serve.stage_n_now", "Etapa {n}: agora"),
    (
        "gui.serve.stage_n_of_total",
        "Etapa {n} de {total}: {route}",
    ),
    (
        "gui.serve.each_phone_is_answered",
        "Cada telefone recebe os arquivos da sua própria etapa e passa sozinho para a próxima: nada a fazer entre as etapas.",
    ),
    (
        "gui.serve.only_when_the_phones",
        "Só quando os telefones são servidos por outro servidor TFTP: isto grava a próxima etapa para todos os telefones.",
    ),
];
