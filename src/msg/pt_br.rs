//! The Brazilian Portuguese texts, by message id. The words follow the
//! Portuguese edition of Cisco's tech note ("carga", "Carregador de
//! aplicativo universal", "servidor TFTP"); the phone's own menus
//! (Settings → Status → Firmware Versions) and file and parameter names
//! stay as the phone shows them.

pub fn text(id: &str) -> Option<&'static str> {
    TABLE.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

#[cfg(test)]
pub fn ids() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(k, _)| *k)
}

const TABLE: &[(&str, &str)] = &[
    ("verbatim", "{text}"),
    // how the TFTP service bound (the Serve step's line) and the Windows
    // firewall check
    (
        "bind.listening.on",
        "Escutando em {local}, atendendo só em {on}",
    ),
    (
        "bind.listening.address",
        "Escutando em {local}, atendendo só pedidos enviados a {address}",
    ),
    (
        "bind.listening.kept",
        "Escutando em {local}, atendendo só em {on} (pedidos para outros endereços são descartados e registrados uma vez por remetente)",
    ),
    (
        "bind.listening.everywhere",
        "Escutando em {local}, atendendo todas as redes deste computador (escolha uma interface para atender só a bancada)",
    ),
    (
        "bind.firewall.check",
        "Nenhum telefone pediu arquivo ainda. O Firewall do Windows Defender pode estar descartando os pedidos: um switch sem internet costuma receber o perfil de rede \"Pública\", em que programas novos são bloqueados. Permita o convert79xx para UDP {ports} (o botão pede aprovação de administrador só para esta regra), ou defina a rede da bancada como \"Privada\" em Configurações > Rede e Internet > (o adaptador da bancada) > Tipo de perfil de rede.",
    ),
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
    ("word.phone", "telefone"),
    ("word.phones", "telefones"),
    ("word.route", "rota"),
    ("word.routes", "rotas"),
    ("word.stage", "etapa"),
    ("word.stages", "etapas"),
    ("fleet.no_phone", "nenhum telefone listado"),
    (
        "load.universal_loader",
        "Carregador de aplicativo universal {version} ({name})",
    ),
    // load names and versions
    (
        "load.shapes",
        "formas esperadas: P003xxyy, P003aabbccdd, P003aabbSRnn (SCCP); P0S3xxyy, P0S3-x-y-zz (SIP); P003-x-y-zz (Carregador de aplicativo universal)",
    ),
    ("load.invalid", "'{input}': {reason}"),
    (
        "load.mgcp",
        "'{input}' é uma carga MGCP (P0M3…): reconhecida, mas sem suporte; o convert79xx move telefones só entre SCCP e SIP",
    ),
    ("load.empty", "nenhum nome de carga informado ({shapes})"),
    (
        "load.too_short",
        "curto demais para um nome de carga ({shapes})",
    ),
    ("load.first_p", "o 1º caractere deve ser P ({shapes})"),
    (
        "load.second_zero",
        "o 2º caractere deve ser o dígito 0, encontrado '{c}' ({shapes})",
    ),
    (
        "load.third_protocol",
        "o 3º caractere é o protocolo e deve ser 0 (SCCP) ou S (SIP), encontrado '{c}'",
    ),
    (
        "load.fourth_three",
        "o 4º caractere deve ser 3 (o processador do 79x0), encontrado '{c}'",
    ),
    (
        "load.note.letter_o",
        "'{stem}' foi digitado com a letra O; os nomes de carga da Cisco usam o dígito zero: lido como {text}",
    ),
    ("load.shape_error", "{shape}: {error}"),
    (
        "load.charset",
        "só letras, dígitos e hífens cabem num nome de carga ({shapes})",
    ),
    (
        "load.dashed.three",
        "{shape}: esperados três números separados por hífens (por exemplo {prefix}-8-12-00)",
    ),
    (
        "load.dashed.digits",
        "{shape}: major e minor têm 1 ou 2 dígitos, o build tem 2 (por exemplo {prefix}-8-12-00)",
    ),
    (
        "load.sip.short_form",
        "o SIP {major}.{minor} se chama P0S3xxyy (por exemplo {example}); a forma com hífens começa no 3.0",
    ),
    (
        "load.sip.dashed_form",
        "o SIP {major}.{minor} se chama P0S3-x-y-zz (por exemplo {example}); P0S3xxyy termina no 2.3",
    ),
    (
        "load.sccp.length",
        "depois de P003 vêm 4 dígitos (P003xxyy), 8 dígitos (P003aabbccdd), aabbSRnn, ou -x-y-zz (o carregador); encontrados {n} caracteres '{rest}'",
    ),
    (
        "load.sip.length",
        "depois de P0S3 vêm 4 dígitos (P0S3xxyy, até o SIP 2.3) ou -x-y-zz (P0S3-8-12-00, do SIP 3.0 em diante); encontrados {n} caracteres '{rest}'",
    ),
    (
        "load.not_a_load",
        "não é um nome de carga nem uma família: informe um nome de carga ({shapes}) ou uma família e versão como 'sip 8.12', 'sccp 8.1(2)', 'SCCP 3.x'",
    ),
    (
        "load.needs_version",
        "{protocol} precisa de uma versão, por exemplo '{word} 8.12' ou '{word} 3.x'",
    ),
    ("load.version.paren", "'{text}': falta ')'"),
    (
        "load.version.shape",
        "'{text}' não é uma versão: esperado major.minor, por exemplo 8.12, 8.1(2), 5.0(1.1) ou 3.x",
    ),
    (
        "load.version.brackets",
        "'{text}': números demais entre parênteses (por exemplo 5.0(1.1))",
    ),
    ("load.number.not_a_number", "{what} '{s}' não é um número"),
    ("load.number.too_large", "{what} '{s}' é grande demais"),
    ("load.part.major", "major"),
    ("load.part.minor", "minor"),
    ("load.part.build", "build"),
    ("load.part.maintenance", "manutenção"),
    ("load.part.sub_maintenance", "submanutenção"),
    ("load.part.service_release", "service release"),
    ("gui.phone_load", "telefone {n} ({mac}): {error}"),
    ("cli.plan.flag_error", "--{flag} {error}"),
    // the plan: titles
    ("plan.title.stage", "{from} → {to}"),
    ("plan.title.configure", "configurar {load}"),
    ("plan.title.cucm", "migração no CUCM {from} → {to}"),
    ("plan.title.route", "{from} para {to}"),
    // the plan: what the user does
    ("plan.who.phone", "telefone"),
    ("plan.who.network", "rede"),
    ("plan.who.cucm", "CUCM"),
    ("plan.who.computer", "este computador"),
    (
        "plan.action.write_and_serve",
        "Grave os arquivos desta etapa na raiz do TFTP e inicie o servidor TFTP neste computador.",
    ),
    (
        "plan.action.dhcp_options",
        "Aponte os telefones para este computador: onde você controla o DHCP, entregue o endereço deste computador na opção 150 (SCCP) e na opção 66 (SIP).",
    ),
    (
        "plan.action.alternate_tftp",
        "Ou em cada telefone: pressione **# para desbloquear (espere 10 s antes de pressionar de novo: **#** reinicia), Settings → Network Configuration → Alternate TFTP = Yes → TFTP Server 1 = o endereço deste computador → Save.",
    ),
    (
        "plan.action.keep_pointed",
        "Mantenha os telefones apontados para o servidor TFTP deste computador.",
    ),
    (
        "plan.action.reset",
        "Reinicie o telefone: desconecte a alimentação, ou o cabo Ethernet quando ele é alimentado pela Ethernet.",
    ),
    (
        "plan.action.wait_loader",
        "Espere enquanto ele busca o Carregador de aplicativo universal {target} e o grava na memória flash; ele reinicia no carregador, que espera a próxima etapa (a tela pode mostrar \"Protocol Application Invalid\" enquanto isso). Nunca desligue a alimentação enquanto ele grava a flash.",
    ),
    (
        "plan.action.check_loader_sent",
        "Confira no registro do servidor que o carregador foi enviado por inteiro, e então grave a próxima etapa.",
    ),
    (
        "plan.action.wait_image",
        "Espere enquanto ele busca {target} e o grava na memória flash; ele reinicia sozinho. Nunca desligue a alimentação enquanto ele grava a flash.",
    ),
    (
        "plan.action.check_version",
        "Confira que Settings → Status → Firmware Versions mostra {target}.",
    ),
    (
        "plan.action.write_config",
        "Grave os arquivos desta etapa (a configuração completa) na raiz do TFTP; mantenha o servidor TFTP em execução.",
    ),
    (
        "plan.action.reset_config",
        "Reinicie o telefone; ele continua em {target} e lê suas linhas e as configurações do proxy.",
    ),
    (
        "plan.action.check_register",
        "Confira que as linhas se registram (o telefone mostra os ramais sem um X).",
    ),
    // the CUCM checklist (tech note: Conversão no Cisco Unified Communications Manager 5.x e 6.x)
    (
        "plan.cucm.1",
        "Cisco Unified CM Administration: Bulk Administration → Phones → Migrate Phones → SCCP to SIP.",
    ),
    (
        "plan.cucm.2",
        "Encontre os telefones a migrar, Next, escolha o modelo do telefone, digite uma descrição do trabalho.",
    ),
    (
        "plan.cucm.3",
        "Run Immediately (ou Run Later), e então Submit para criar o trabalho de migração.",
    ),
    (
        "plan.cucm.4",
        "Bulk Administration → Job Scheduler: ative o trabalho; se ele ficar Pending, inicie o Bulk Provisioning Service (Serviceability → Tools → Service Activation).",
    ),
    (
        "plan.cucm.5",
        "Reinicie os telefones: Bulk Administration → Phones → Reset/Restart Phones → Query.",
    ),
    (
        "plan.cucm.6",
        "System → Enterprise Parameters: defina Auto Registration Phone Protocol como SIP e reinicie o serviço Cisco CallManager.",
    ),
    (
        "plan.cucm.7",
        "Cisco Unified CM Administration: exclua os registros dos telefones SIP.",
    ),
    (
        "plan.cucm.8",
        "System → Enterprise Parameters: defina Auto Registration Phone Protocol como SCCP e reinicie o serviço Cisco CallManager.",
    ),
    (
        "plan.cucm.9",
        "Reinicie os telefones e deixe que se registrem de novo como SCCP.",
    ),
    // the plan: notes
    ("plan.note.line", "{kind} {text}"),
    ("plan.kind.departs", "Difere da nota técnica:"),
    ("plan.kind.warning", "Aviso:"),
    ("plan.kind.info", "Nota:"),
    ("plan.kind.assumption", "Suposição:"),
    (
        "plan.note.os79xx",
        "O OS79XX.TXT é gravado só com o nome da imagem, numa linha, sem extensão e sem espaço no final (bug CSCdv19260 da Cisco: um espaço deixado por um editor faz o telefone pedir um arquivo que não existe).",
    ),
    (
        "plan.note.letter_o",
        "A nota técnica escreve os nomes com a letra O (POS3-07-4-00); os arquivos usam o dígito zero (P0S3-07-4-00), como nos pacotes da Cisco.",
    ),
    (
        "plan.note.production_network",
        "Para converter um só telefone numa rede de produção, nunca use o servidor TFTP que o DHCP entrega: todos os telefones da rede seriam convertidos. Configure o Alternate TFTP nesse telefone.",
    ),
    (
        "plan.note.factory_reset",
        "Para recomeçar um telefone do zero: ligue-o segurando #, e quando Headset, Mute e Speaker piscarem, digite 123456789*0# (ele pergunta se mantém as configurações de rede). Uma restauração de fábrica não resolve \"Protocol Application Invalid\": sirva a etapa de novo.",
    ),
    (
        "plan.note.signed",
        "{target} é assinada (5.0 ou posterior). Um telefone que executa uma carga assinada nunca mais aceita uma imagem anterior à 5.0: este passo não pode ser desfeito.",
    ),
    (
        "plan.note.model",
        "Cisco IP Phone {model}: {lines} botões de linha; o XMLDefault.cnf.xml nomeia sua carga em {model_tag} model=\"{xml}\".",
    ),
    (
        "plan.note.minimal_sipdefault",
        "{reader} lê o SIPDefault.cnf nesta etapa: ele traz só o image_version (o SIP 2.x falha com \"W210 TFTP buffer full\" com um arquivo maior); o arquivo completo vem na próxima etapa.",
    ),
    (
        "plan.note.placeholder",
        "Nenhuma carga {family} exata informada: {target} a representa. Adicione o pacote de firmware e o nome real será usado.",
    ),
    (
        "plan.note.universal_loader_stage",
        "Supõe-se que o SCCP até 5.x não conhece arquivos .loads [I], então esta etapa nomeia o Carregador de aplicativo universal {t}, que o telefone busca como um só arquivo, e a próxima etapa nomeia o aplicativo. Depois desta etapa o telefone executa o carregador e espera; ele pode mostrar \"Protocol Application Invalid\" até a próxima etapa ser servida. Se mostrar \"Protocol Application Invalid\" e nunca pedir XMLDefault.cnf.xml nem SEP<MAC>.cnf.xml, o carregador não recebeu sua configuração XML: sirva esta etapa de novo.",
    ),
    (
        "plan.note.loader_from_sccp",
        "O carregador pega o aplicativo do loadInformation porque o telefone veio do SCCP (docs/routes.md §1). Se o telefone ficar no carregador mostrando \"Protocol Application Invalid\", confira o registro do servidor: SEP<MAC>.cnf.xml ou XMLDefault.cnf.xml devem ser enviados, e depois {t}.loads e {t}.sb2 por inteiro.",
    ),
    (
        "plan.note.sip5_reads_os79xx",
        "Supõe-se que o SIP 5.x/6.x lê o OS79XX.TXT na inicialização como as cargas SIP mais antigas [U]: o OS79XX.TXT nomeia o carregador {loader}, que um telefone SIP obedece. Se o registro do servidor mostrar que o telefone nunca pede o OS79XX.TXT, mas pede {t}.sbn (não encontrado), ele não o leu: defina image_version como {loader} no SIPDefault.cnf e no SIP<MAC>.cnf por uma inicialização.",
    ),
    (
        "plan.note.signed_fetches_sbn",
        "Espera-se que um telefone em 5.0 ou posterior busque o {t}.sbn assinado [I]; {t}.sbn e {t}.bin são servidos. Se o registro do servidor mostrar que ele pede outro arquivo para {t} (não encontrado), esse arquivo falta no pacote.",
    ),
    (
        "plan.note.loader_era_single",
        "{running} conhece arquivos .loads; para uma imagem única espera-se que busque {t}.sbn quando {t}.loads não for encontrado [I]. Se o registro do servidor mostrar só {t}.loads pedido (não encontrado) e o telefone ficar em {running}, esta carga não pode ir direto para {t}.",
    ),
    (
        "plan.note.sccp6_single",
        "Como a Cisco empacotou o SCCP 6.x não está documentado [U]; {running} é tratada como imagem única que não conhece arquivos .loads, o caso que exige mais arquivos. Se for da era do carregador, ela lê os mesmos arquivos e o plano continua valendo.",
    ),
    (
        "plan.note.sccp6_package",
        "Como a Cisco empacotou o SCCP 6.x não está documentado [U]: esta etapa serve {t}.bin e {t}.sbn, e {t}.loads e {t}.sb2 quando o pacote os tem. Se o telefone buscar {t}.bin ou {t}.sbn e parar em \"Protocol Application Invalid\", o pacote era da era do carregador e falta {t}.loads ou {t}.sb2: adicione o pacote completo.",
    ),
    (
        "plan.note.sccp3_xml",
        "Supõe-se que o SCCP 3.x lê as configurações XML [U] (docs/routes.md §1). Se o registro do servidor mostrar {running} pedindo só OS79XX.TXT e SEPDefault.cnf, nunca SEP<MAC>.cnf.xml nem XMLDefault.cnf.xml, ela não lê XML: converta-a passando antes pelo SIP 6.x.",
    ),
    (
        "plan.note.sccp805",
        "Um 7960 numa carga 5.x foi visto rejeitando o SCCP 8.0(5) e posteriores enquanto aceitava o 8.0(4) (docs/field-facts.md §2). Se o telefone buscar {t} e continuar em {running}, vá primeiro para o SCCP 8.0(4) e depois para {t}.",
    ),
    (
        "plan.note.universal_loader_of",
        "{n} é o Carregador de aplicativo universal do SIP {version}: planejado como {app}.",
    ),
    (
        "plan.note.state_error",
        "Se o SIP 3.x/4.x não instalar e o registro do servidor TFTP mostrar \"State Error\", use a rota segura pelo SIP 2.3 (R1a).",
    ),
    (
        "plan.note.safe_route",
        "Rota segura da nota técnica: cargas SCCP antigas podem falhar direto para o SIP 3.x/4.x (\"State Error\" no registro do TFTP); primeiro o SIP 2.3, depois o destino.",
    ),
    (
        "plan.note.r2_departs",
        "A nota técnica só define o image_version, que uma carga SCCP nunca lê, e seu OS79XX.TXT nomeia o Carregador de aplicativo universal, que uma carga SCCP ignora (os dois nomes começam com P003). Por isso esta rota tem duas etapas: as configurações XML nomeiam o carregador, depois o aplicativo.",
    ),
    (
        "plan.note.old_sccp",
        "Supõe-se que o SCCP anterior ao 3.x não lê as configurações XML [U] e que só um nome SIP no OS79XX.TXT o move: ele vai primeiro para o SIP 6.3, depois para a era do carregador. Se o registro do servidor mostrar que ele pede SEP<MAC>.cnf.xml ou XMLDefault.cnf.xml, ele lê XML: planeje a partir de 'sccp 3.x'.",
    ),
    (
        "plan.note.r3_departs",
        "Além de descompactar o zip e das configurações SIP da nota técnica, XMLDefault.cnf.xml e SEP<MAC>.cnf.xml nomeiam a carga SIP com um callManagerGroup: o SCCP os lê (ele ignora o OS79XX.TXT do zip, cujo nome de carregador começa com P003 como o seu), e sem callManagerGroup o carregador para em \"Protocol Application Invalid\".",
    ),
    (
        "plan.note.r3_sip5",
        "A nota técnica cobre SCCP 6+ para SIP 7+; o SIP 5.x/6.x segue a mesma rota XML.",
    ),
    (
        "plan.note.sip21_8_3",
        "O SIP 2.1 e anteriores recusam nomes SCCP com mais de 8.3 (xxxxxxxx.bin); {name} é mais longo.",
    ),
    (
        "plan.note.r5",
        "A partir do SIP 4.x ou anterior a nota técnica vai primeiro para o SCCP 6.3 (o OS79XX.TXT e as configurações SIP o nomeiam), depois descompacta o zip do destino.",
    ),
    (
        "plan.note.r4a",
        "A partir do SIP 3.x ou anterior a nota técnica vai para o SCCP 4.x mais recente antes do 5.x.",
    ),
    (
        "plan.note.r4_departs",
        "A nota técnica só edita o OS79XX.TXT; SIPDefault.cnf e SIP<MAC>.cnf também nomeiam a carga SCCP, para que nenhuma configuração nomeie a imagem SIP antiga.",
    ),
    (
        "plan.note.r6_departs",
        "A rota gkdefault.txt/cfgfmt da nota técnica é do 7905/7912, não do 7940/7960: a rota de campo define image_version como a carga SCCP no SIPDefault.cnf, com o OS79XX.TXT nomeando a mesma carga. O gkdefault.cfg ainda é gerado aqui mesmo (sem o cfgfmt.exe, que só roda no Windows) quando o pacote SIP traz gkdefault.txt e sip_ptag.dat, e fica como veio: seu upgradecode não é reescrito para nomear a carga SCCP.",
    ),
    (
        "plan.note.r7_departs",
        "A nota técnica cita um parâmetro 'load_information' que não existe; o image_version nomeia a carga SCCP no SIPDefault.cnf e em cada SIP<MAC>.cnf, e para o SCCP 6+ XMLDefault.cnf.xml e SEP<MAC>.cnf.xml trazem loadInformation e um callManagerGroup (o endereço do seu CallManager/CME, quando informado) para que a primeira inicialização SCCP fique nessa carga.",
    ),
    (
        "plan.note.downgrade",
        "{to} é mais antiga que {from}: voltar para uma versão anterior dentro da linha assinada ou da não assinada é permitido.",
    ),
    (
        "plan.note.sip21_detour",
        "O SIP 2.1 e anteriores recusam nomes de carga com mais de 8.3; a nota técnica diz isso dos nomes SCCP, e este plano assume o mesmo para todo nome que o telefone lê [I]: ele vai primeiro para o SIP 2.3 (P0S30203). Se {from} aceitar {target} direto, a primeira etapa é só um desvio.",
    ),
    (
        "plan.note.loader_era_xml",
        "Na era do carregador o Carregador de aplicativo universal lê as configurações XML além do image_version: XMLDefault.cnf.xml e SEP<MAC>.cnf.xml nomeiam a mesma carga SIP com um callManagerGroup, ou o telefone para em \"Protocol Application Invalid\" (docs/routes.md §4.2).",
    ),
    (
        "plan.note.cucm_pushes",
        "O CUCM envia {target} sozinho; defina-a como carga padrão do dispositivo para o modelo, se ainda não for.",
    ),
    (
        "plan.note.cucm",
        "Telefones no Cisco Unified CM 5.x/6.x são migrados no CUCM; nenhum arquivo TFTP é gravado.",
    ),
    (
        "plan.note.alias",
        "{a} é um nome curto para {t}; quando o telefone estiver no SCCP, a próxima etapa (ou você) troca cada {a} no OS79XX.TXT pelo nome real.",
    ),
    (
        "plan.note.full_config",
        "O telefone agora executa {target}; esta etapa lhe dá a configuração completa que o SIPDefault.cnf mínimo deixou de fora.",
    ),
    (
        "plan.note.sip2_short",
        "{target} é SIP 2.x: mantenha o SIPDefault.cnf curto (as configurações de cada telefone vão no SIP<MAC>.cnf) ou ele falha com \"W210 TFTP buffer full\".",
    ),
    (
        "plan.note.call_manager_group",
        "As configurações XML trazem um callManagerGroup com o endereço do seu CallManager/CME (ou, sem ele, o deste computador): sem isso o carregador mostra \"Protocol Application Invalid\".",
    ),
    // the plan: refusals
    (
        "plan.refusal.already_there",
        "já está lá: o telefone executa {from}, que é {protocol} {version}",
    ),
    (
        "plan.refusal.already_in",
        "já está lá: {from} já está em {to}",
    ),
    (
        "plan.refusal.signed_downgrade",
        "recusado: {from} é assinada (5.0 ou posterior) e {to} não é; um telefone com uma carga assinada rejeita toda imagem anterior à 5.0 com \"Image Authentication Failed\", e isso não pode ser desfeito",
    ),
    (
        "plan.refusal.sccp_no_xml",
        "{from} não lê configuração XML e só obedece a um nome SIP no OS79XX.TXT, então nenhum arquivo que esta ferramenta grava a leva para outra carga SCCP",
    ),
    ("plan.refusal.no_route", "nenhum telefone tem uma rota"),
    (
        "plan.hint.nothing_to_convert",
        "Nada a converter. Na dúvida, confira Settings → Status → Firmware Versions no telefone.",
    ),
    (
        "plan.hint.exact_version",
        "Informe a versão exata do destino (por exemplo '{example}'), ou a versão exata que o telefone executa (Settings → Status → Firmware Versions).",
    ),
    (
        "plan.hint.signed_target",
        "Escolha um destino {protocol} 5.0 ou posterior (por exemplo '{example}').",
    ),
    (
        "plan.hint.via_sip",
        "Converta-a primeiro para SIP (plan --to 'sip 4.4'), depois do SIP para {to}.",
    ),
    // the plan: other ways
    (
        "plan.alt.safe",
        "rota segura em duas etapas: primeiro o SIP 2.3 (P0S30203), depois o destino",
    ),
    ("plan.alt.direct", "rota direta em uma etapa"),
    (
        "plan.alt.upgrade_first",
        "atualizar primeiro o SIP para 2.3 (P0S30203), depois ir para o SCCP com o nome real",
    ),
    (
        "plan.alt.alias",
        "servir {name} com um apelido curto 8.3, uma etapa a menos",
    ),
    (
        "plan.alt.r8_detour",
        "desvio de campo se o telefone ignorar o image_version: primeiro o SIP 8.12 (R8), depois o SCCP (R7)",
    ),
    (
        "plan.alt.cucm",
        "telefones registrados no CUCM 5.x/6.x: o Bulk Administration os migra, sem arquivos TFTP",
    ),
    ("plan.how.without", "sem {option}"),
    (
        "plan.how.r8_detour",
        "plan --from <esta> --to 'sip 8.12', depois --from 'sip 8.12' --to <destino>",
    ),
    // the plan: why each file
    (
        "plan.why.os79xx",
        "{why}; traz só o nome {image}, sem extensão, sem espaço no final",
    ),
    (
        "plan.why.os79xx_obeyed",
        "lido na inicialização pela carga em execução, que obedece a um nome cujos quatro primeiros caracteres diferem dos seus",
    ),
    (
        "plan.why.os79xx_ignored",
        "lido na inicialização e ignorado pela carga em execução (mesmos quatro primeiros caracteres); gravado para que nenhum nome antigo seja obedecido",
    ),
    (
        "plan.why.os79xx_unread",
        "não é lido pela carga em execução; nomeia a carga desta etapa como o pacote da Cisco faz, para qualquer telefone que o leia",
    ),
    (
        "plan.why.os79xx_unchanged",
        "sem mudança: ainda nomeia a carga instalada",
    ),
    (
        "plan.why.sipdefault",
        "lido pela carga SIP; o image_version nomeia a carga a executar",
    ),
    (
        "plan.why.sipmac",
        "linhas de cada telefone (nome, nome de autenticação, senha, nome de exibição); prevalece sobre o SIPDefault.cnf",
    ),
    (
        "plan.why.sipdefault_to_sccp",
        "lido pela carga SIP em execução: image_version = a carga SCCP a leva até lá",
    ),
    (
        "plan.why.sipmac_to_sccp",
        "seu image_version prevalece sobre o SIPDefault.cnf, então nomeia a mesma carga",
    ),
    (
        "plan.why.sipdefault_full",
        "o arquivo completo: proxy, porta, registro, hora; image_version sem mudança",
    ),
    (
        "plan.why.sipmac_lines",
        "linhas de cada telefone (nome, nome de autenticação, senha, nome de exibição)",
    ),
    (
        "plan.why.xml_default",
        "{why}; a alternativa quando falta o SEP<MAC>.cnf.xml: {tag_a} para o {model_a}, {tag_b} para o {model_b} nomeiam {image}, com um callManagerGroup",
    ),
    (
        "plan.why.sep",
        "{why}; o loadInformation nomeia {image}, com um callManagerGroup (sem ele: \"Protocol Application Invalid\")",
    ),
    (
        "plan.why.xml_loader",
        "lido pela carga SCCP em execução: o loadInformation nomeia o Carregador de aplicativo universal, que ela busca como um só arquivo; o carregador então espera a próxima etapa",
    ),
    (
        "plan.why.xml_sccp",
        "lido pela carga SCCP em execução: o loadInformation nomeia a carga a buscar",
    ),
    (
        "plan.why.xml_sip",
        "lido primeiro pela carga SIP em execução; deve nomear a mesma carga que o image_version",
    ),
    (
        "plan.why.xml_by_loader",
        "lido pelo carregador: o loadInformation nomeia o aplicativo que ele busca (.loads + .sb2)",
    ),
    (
        "plan.why.xml_passing",
        "lido pelas cargas por onde o telefone passa",
    ),
    (
        "plan.why.xml_arrival_loader",
        "{why}; o carregador em que o telefone chega precisa dele, com um callManagerGroup, ou para em \"Protocol Application Invalid\"",
    ),
    (
        "plan.why.xml_sccp_target",
        "{why}; o destino SCCP o lê na primeira inicialização e fica nesta carga",
    ),
    (
        "plan.why.dialplan",
        "modelo de discagem que a carga SIP busca (dial_template: dialplan)",
    ),
    (
        "plan.why.ringlist",
        "menu de toques; gravado só quando o pacote traz toques",
    ),
    (
        "plan.why.gkdefault",
        "gerado aqui mesmo a partir do gkdefault.txt e do sip_ptag.dat do pacote SIP, só quando ele traz os dois (o passo cfgfmt da nota técnica); fica como veio: seu upgradecode não é reescrito, pois o perfil é do 7905/7912",
    ),
    (
        "plan.why.whole_package",
        "todos os arquivos do pacote {load}, descompactados na raiz do TFTP com maiúsculas e minúsculas exatas e verificação de CRC (arquivos soltos ou copiados à mão dão \"Protocol Application Invalid\")",
    ),
    (
        "plan.why.alias",
        "{of}.bin servido com o nome 8.3 {alias}.bin: o SIP 2.1 e anteriores recusam nomes SCCP mais longos",
    ),
    (
        "plan.why.file.image",
        "a própria imagem, byte a byte do pacote",
    ),
    (
        "plan.why.file.loader",
        "carregador não seguro, buscado por telefones ainda numa imagem anterior à 5.0",
    ),
    (
        "plan.why.file.signed_loader",
        "carregador seguro, buscado por telefones em 5.0 ou posterior",
    ),
    (
        "plan.why.file.loader_undecided",
        "a imagem não assinada (o carregador, num pacote com carregador)",
    ),
    (
        "plan.why.file.signed_loader_undecided",
        "a imagem assinada (o carregador, num pacote com carregador)",
    ),
    (
        "plan.why.file.descriptor",
        "descritor de carga que o carregador lê",
    ),
    (
        "plan.why.file.application",
        "a imagem assinada do aplicativo",
    ),
    (
        "plan.why.file.descriptor_undecided",
        "descritor de carga que o carregador lê; só num pacote com carregador (o SCCP 6.x vem dos dois jeitos)",
    ),
    (
        "plan.why.file.application_undecided",
        "a imagem assinada do aplicativo; só num pacote com carregador (o SCCP 6.x vem dos dois jeitos)",
    ),
    (
        "plan.why.file.signed_image",
        "a imagem assinada, buscada por telefones em 5.0 ou posterior",
    ),
    // the plan: what is moved aside
    (
        "plan.remove.other_images",
        "arquivos de imagem de outras cargas",
    ),
    (
        "plan.remove.other_images_why",
        "uma configuração perdida que nomeie uma delas seria obedecida",
    ),
    (
        "plan.remove.sepdefault",
        "cargas SCCP muito antigas leem o SEPDefault.cnf; um antigo que nomeie outra imagem faz o telefone alternar entre imagens",
    ),
    (
        "plan.remove.xml",
        "um XMLDefault.cnf.xml / SEP<MAC>.cnf.xml que nomeie outra carga seria lido pelo SCCP e pelo carregador",
    ),
    (
        "plan.remove.xml_first",
        "um XMLDefault.cnf.xml / SEP<MAC>.cnf.xml que nomeie outra carga seria lido primeiro",
    ),
    (
        "plan.remove.sip",
        "nenhuma carga desta etapa lê as configurações SIP; deixadas ali, elas nomeiam uma imagem antiga",
    ),
    // writing a stage: what is moved aside, and why
    (
        "stage.move.old_manifest",
        "o manifesto da etapa anterior, guardado como registro",
    ),
    (
        "stage.move.case",
        "difere só em maiúsculas e minúsculas de {name}, que esta etapa grava: os telefones pedem nomes exatos, e um servidor que não distingue maiúsculas poderia servir o errado",
    ),
    (
        "stage.move.not_regular",
        "{what} no lugar do {name} desta etapa: movido de lado como está, sem ser lido",
    ),
    (
        "stage.move.replaced",
        "substituído pelo {name} desta etapa (o conteúdo é diferente)",
    ),
    (
        "stage.move.too_large",
        "é maior que qualquer configuração de telefone ({kib} KiB no máximo), então foi movido de lado sem ser lido",
    ),
    (
        "stage.move.other_image",
        "nomeia {other} enquanto os arquivos desta etapa nomeiam {target}: um telefone que lesse os dois poderia alternar entre imagens",
    ),
    ("stage.why.ring_tone", "toque listado no RINGLIST.DAT"),
    ("fs.kind.folder", "uma pasta"),
    ("fs.kind.symlink", "um link simbólico"),
    ("fs.kind.fifo", "um FIFO (pipe nomeado)"),
    ("fs.kind.device", "um dispositivo"),
    ("fs.kind.socket", "um socket"),
    ("fs.kind.neither", "nem arquivo nem pasta"),
    // what the server noticed about a phone
    (
        "hint.unknown_phone_file",
        "telefone desconhecido {mac} pediu {file}: ele não está na sessão. Adicioná-lo (MAC {upper}) e preparar de novo?",
    ),
    (
        "hint.unknown_phone",
        "telefone desconhecido {mac}: ele não está na sessão. Adicioná-lo (MAC {upper}) e preparar de novo?",
    ),
    (
        "hint.sip_config_missing",
        "falta {file}: este telefone não tem configuração SIP na raiz. Prepare esta etapa de novo.",
    ),
    (
        "hint.device_config_missing",
        "falta {file}: o telefone vai recorrer ao XMLDefault.cnf.xml, se a raiz tiver um.",
    ),
    (
        "hint.other_image",
        "o telefone pede a imagem {asked_for}, mas esta etapa instala {installs}: sua configuração nomeia outra imagem (confira OS79XX.TXT, image_version ou loadInformation), ou ele ainda executa uma etapa anterior.",
    ),
    (
        "hint.image_missing",
        "o telefone pede a imagem {asked_for}, que não está na raiz: adicione o pacote de firmware que a contém e prepare de novo.",
    ),
    (
        "hint.not_provided",
        "o telefone pede {file}, que esta etapa não fornece.",
    ),
    (
        "hint.transfer_stopped",
        "a transferência de {file} parou depois de {bytes} bytes; o telefone vai tentar de novo. Se continuar falhando, confira o cabo e que nada mais responde TFTP nesta rede.",
    ),
    ("hint.refused", "recusado '{file}': {reason}"),
    ("hint.stuck", "parado: {reason}"),
    // the session's one check
    (
        "session.too_long",
        "tem {len} caracteres; cabem no máximo {max} aqui: encurte",
    ),
    (
        "session.load_empty",
        "está vazio: informe um nome de carga como P0S3-8-12-00 ou uma família como \"sccp 8.1(2)\"",
    ),
    ("session.port_zero", "0 não é uma porta; o SIP usa a 5060"),
    (
        "session.proxy_missing",
        "falta: um destino SIP precisa do endereço do registrar/proxy, por exemplo proxy = \"192.0.2.10\" em [sip]",
    ),
    (
        "session.host",
        "{error}; informe um endereço IP ou nome de host",
    ),
    (
        "session.duplicate_mac",
        "{mac} já é phones[{j}]; cada telefone uma vez",
    ),
    (
        "session.phone_from",
        "{error}; ou \"{unknown}\" quando você não sabe o que ele executa",
    ),
    (
        "session.too_many_lines",
        "{lines} linhas, mas um {model} tem {buttons} botões de linha: remova {extra} ou defina model = \"7960\"",
    ),
    (
        "session.no_firmware",
        "nenhum pacote de firmware listado: adicione o(s) zip(s) do destino, por exemplo firmware = [\"P0S3-8-12-00.zip\"]",
    ),
    // the config writers' checks of a value
    ("config.bad_value", "{field} = {value}: {why}"),
    ("config.empty", "não pode ficar vazio"),
    (
        "config.line_break",
        "contém uma quebra de linha, que terminaria a linha antes da hora",
    ),
    (
        "config.double_quote",
        "contém aspas duplas, que terminariam o valor entre aspas antes da hora",
    ),
    (
        "config.semicolon",
        "contém ';', que inicia um comentário nos arquivos .cnf do SIP",
    ),
    (
        "config.control_character",
        "contém um caractere de controle",
    ),
    (
        "config.non_ascii",
        "contém um caractere fora do ASCII; o telefone não consegue mostrá-lo",
    ),
    ("config.at_character", "{why} (caractere {n}); remova-o"),
    (
        "config.token_character",
        "o caractere {n} ({c}) não é permitido aqui: use só letras, dígitos e - _ . + /",
    ),
    (
        "config.field.os79xx_image",
        "o nome da imagem no OS79XX.TXT",
    ),
    (
        "config.os79xx.extension",
        "não deve levar a extensão {ext}: escreva {name}",
    ),
    (
        "config.callmanager_empty",
        "está vazio; informe o endereço do CallManager/CME ou tire a chave",
    ),
    ("config.time_zone.capitals", "escreva em maiúsculas: {zone}"),
    (
        "config.time_zone.abbreviation",
        "o telefone aceita uma abreviação da Cisco, não o nome de uma região; use uma destas: {zones}",
    ),
    ("config.field.phone_lines", "as linhas do telefone {mac}"),
    (
        "config.too_many_lines",
        "um {model} tem {buttons} botões de linha; remova {extra} linha(s) ou defina model = \"7960\"",
    ),
    ("config.field.dial_rule", "uma regra de discagem"),
    (
        "config.dial_rule_empty",
        "padrão vazio; use * para aceitar qualquer número",
    ),
    (
        "config.field.ring_name",
        "o nome exibido de um toque de chamada",
    ),
    ("config.field.ring_file", "o arquivo de um toque de chamada"),
    // gkdefault.cfg, compiled from the package's gkdefault.txt
    (
        "gk.not_text",
        "o gkdefault.txt deve começar com a linha #txt (é a forma de texto do cfgfmt)",
    ),
    ("gk.line", "gkdefault.txt, linha {line}: {why}"),
    (
        "gk.too_large",
        "o perfil compilado tem {n} bytes; o cfgfmt o dividiria num arquivo .ex extra, que esta ferramenta não grava: reduza o gkdefault.txt às configurações de que você precisa",
    ),
    (
        "gk.ptag_skipped",
        "sip_ptag.dat, linha {line}: não é uma entrada de tag, ignorada",
    ),
    (
        "gk.upgrade.fields",
        "upgradecode precisa de 8 campos separados por vírgulas (policy,hw,swtype,swversion,tftp-ip,port,image-id,file), encontrados {n}",
    ),
    (
        "gk.upgrade.number",
        "o campo {n} do upgradecode ({what}) {value} não é um número até {max}",
    ),
    (
        "gk.upgrade.address",
        "o campo 5 do upgradecode (endereço TFTP) {value} não é um endereço IPv4 (0 = este servidor)",
    ),
    (
        "gk.upgrade.name",
        "o nome de arquivo {name} do upgradecode deve ter no máximo 31 caracteres ASCII",
    ),
    ("gk.value.wants", "{name} espera {what}, recebeu {value}"),
    ("gk.value.ipv4", "um endereço IPv4"),
    ("gk.value.hex", "dígitos hexadecimais"),
    ("gk.value.ip_port", "a.b.c.d.porta"),
    ("gk.value.number", "um número"),
    ("gk.value.numbers", "números"),
    ("gk.value.32_bits", "{name} = {value} não cabe em 32 bits"),
    (
        "gk.value.old_tone",
        "{name} usa a forma obsoleta por frequência; escreva o tom na configuração `...Tone` mais nova",
    ),
    (
        "gk.value.too_long",
        "{name} tem no máximo {max} caracteres, recebeu {n}",
    ),
    ("gk.value.ascii", "{name} deve ser ASCII"),
    (
        "gk.include",
        "include não é suportado: cole as configurações incluídas no gkdefault.txt",
    ),
    (
        "gk.unsupported",
        "{name} não é suportado por esta ferramenta; remova a linha",
    ),
    (
        "gk.unknown_tag",
        "gkdefault.txt, linha {line}: {name} não está no sip_ptag.dat, ignorado",
    ),
    (
        "gk.no_value",
        "gkdefault.txt, linha {line}: {name} não tem valor, ignorado",
    ),
    ("gk.skipped", "gkdefault.txt, linha {line}: {why}; ignorado"),
    // writing a stage
    (
        "stage.error.no_such_stage",
        "não existe a etapa {asked}: a rota {route} tem {stages} etapa(s); use de 1 a {stages}",
    ),
    (
        "stage.error.nothing_to_write",
        "a etapa {stage} ({route}) não grava arquivos: {why}",
    ),
    (
        "stage.nothing.checklist",
        "ela é uma lista de passos (veja as ações do plano), não arquivos",
    ),
    (
        "stage.error.missing_package",
        "a etapa {stage} precisa de {load}, e {detail}",
    ),
    (
        "stage.missing.target",
        "nenhum pacote de firmware a contém: adicione o pacote {target} (o zip dele) à lista de firmware da sessão",
    ),
    (
        "stage.missing.target_listed",
        "nenhum pacote de firmware a contém: adicione o pacote {target} (o zip dele) à lista de firmware da sessão (listados agora: {listed})",
    ),
    (
        "stage.missing.incomplete",
        "falta {files} em {package}: baixe o pacote completo de novo",
    ),
    (
        "stage.missing.file",
        "nenhum pacote de firmware contém {name}: adicione o pacote que o contém",
    ),
    (
        "stage.missing.alias",
        "{of} é servido com o apelido {alias}, e nenhum pacote contém {of}",
    ),
    (
        "stage.missing.ring_tones",
        "o RINGLIST.DAT precisa de toques de chamada (.pcm/.raw) e nenhum pacote traz algum",
    ),
    (
        "stage.missing.gk",
        "o gkdefault.cfg é feito a partir do gkdefault.txt e do sip_ptag.dat, e nenhum pacote traz os dois",
    ),
    ("stage.error.root", "raiz do TFTP {path}: {why}"),
    (
        "stage.root.a_file",
        "é um arquivo, não uma pasta: informe uma pasta para a raiz do TFTP",
    ),
    (
        "stage.root.folder_in_way",
        "uma pasta chamada {name} está no lugar do arquivo que esta etapa grava: renomeie ou mova essa pasta",
    ),
    (
        "stage.error.not_regular",
        "{path} é {what}, não um arquivo comum: o prepare lê e substitui só arquivos comuns na raiz do TFTP, e este tem um nome que a etapa lê ou substitui; tire-o da pasta (ou ponha um arquivo comum no lugar) e execute o prepare de novo",
    ),
    (
        "stage.error.busy",
        "outro prepare está gravando em {path} agora; espere ele terminar e execute este de novo",
    ),
    (
        "stage.error.journal",
        "{path}: o registro de um prepare interrompido não pode ser lido ({why}); veja os arquivos dessa pasta, mova o que quiser manter, apague a pasta e execute o prepare de novo",
    ),
    (
        "stage.error.interrupted",
        "interrompido (Ctrl-C) antes de qualquer coisa ir para o lugar: a raiz do TFTP está como estava",
    ),
    (
        "stage.error.no_callmanager",
        "os arquivos XML precisam do endereço do CallManager/CME em que os telefones se registram (processNodeName), a sessão não dá nenhum, e este computador não tem rota de rede da qual tirar o próprio endereço: defina callmanager = \"ENDEREÇO\" em [sccp] na sessão",
    ),
    (
        "stage.error.inconsistent",
        "erro interno: a etapa {stage} nomearia {a} e {b} ao mesmo tempo; nada foi gravado (por favor, relate isto)",
    ),
    (
        "stage.note.passwords",
        "O SIP<MAC>.cnf guarda as senhas das linhas em texto claro: o telefone só as lê assim. Quem puder ler a raiz do TFTP, ou pedir o arquivo ao servidor TFTP, pode lê-las: sirva-o só durante a conversão.",
    ),
    (
        "stage.note.process_node",
        "A sessão não dá endereço de CallManager/CME, então os arquivos XML nomeiam este computador ({ip}) como processNodeName; defina callmanager em [sccp] quando os telefones devem se registrar em outro lugar.",
    ),
    (
        "stage.note.gk_upgrade",
        "O gkdefault.cfg é compilado do gkdefault.txt do pacote como veio: o upgradecode dele nomeia {image}, não {target}. O 7940/7960 segue o image_version e o OS79XX.TXT; o perfil é para um 7905/7912 (docs/files.md).",
    ),
    ("job.refused", "a rota é recusada: {refusal}"),
    ("plan.refusal.with_hint", "{reason}\n{hint}"),
    // reading a session file
    (
        "session.error.read",
        "não foi possível ler o arquivo de sessão {path}: {error}",
    ),
    (
        "session.error.syntax",
        "o arquivo de sessão {path} não é válido: {error}",
    ),
    (
        "session.error.write",
        "não foi possível gravar o arquivo de sessão {path}: {error}",
    ),
    (
        "session.error.invalid",
        "a sessão tem {n} problema(s):{list}",
    ),
    ("session.error.problem", "{list}\n  - {problem}"),
    ("session.problem", "{field}: {message}"),
    ("session.note", "{field}: {note}"),
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
        "a raiz do TFTP {root} não é uma pasta. Informe a pasta que o `convert79xx prepare` gravou.",
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
        "{root} não parece uma pasta feita para os telefones: ela contém {found}. Tudo o que pode ser lido nela poderia ser baixado por qualquer um na rede. Sirva a pasta que o `convert79xx prepare --out` gravou.",
    ),
    (
        "serve.secrets.file_system",
        "o sistema de arquivos inteiro (é a pasta raiz)",
    ),
    ("serve.secrets.etc", "a configuração do sistema (/etc)"),
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
        "{error} Se tiver certeza, acrescente --force.",
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
    // firmware packages
    ("list", "{list}, {next}"),
    (
        "package.io",
        "{path}: {error}: confira o caminho e se você pode lê-lo",
    ),
    (
        "package.not_found",
        "{path} não existe: confira o caminho (os caminhos de firmware num arquivo de sessão são relativos a esse arquivo)",
    ),
    (
        "package.not_a_zip",
        "{path}: não é um arquivo zip (começa com {start}): informe o zip de firmware como baixado da Cisco, a pasta descompactada dele ou um único arquivo de imagem",
    ),
    (
        "package.tar",
        "{path}: é um arquivo tar, não um zip: descompacte-o (tar -xf) e informe a pasta",
    ),
    (
        "package.not_a_package",
        "{path}: não é um zip, nem uma pasta, nem uma imagem de firmware (as imagens se chamam como P0S3-8-12-00.loads, P00308010200.sb2 ou P0S30203.bin): informe o pacote de firmware",
    ),
    (
        "package.truncated",
        "{path}: o zip está incompleto ou danificado ({detail}): baixe-o de novo",
    ),
    (
        "package.no_loads",
        "{path} não contém nenhuma imagem de firmware do Cisco 7940/7960 (nenhum arquivo P003…/P0S3… .bin, .sbn, .loads ou .sb2): informe o pacote de firmware",
    ),
    (
        "package.mgcp",
        "{path}: \"{entry}\" é uma carga MGCP (P0M3…): reconhecida, mas o convert79xx move telefones só entre SCCP e SIP; informe o pacote SCCP ou SIP",
    ),
    (
        "package.zip_slip",
        "{path}: a entrada \"{entry}\" sai da pasta com \"..\" (zip-slip): recusada; nada foi gravado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.absolute_path",
        "{path}: a entrada \"{entry}\" tem um caminho absoluto ou uma letra de unidade: recusada, um zip de firmware contém só nomes de arquivo simples; nada foi gravado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.backslash",
        "{path}: a entrada \"{entry}\" contém uma barra invertida, que no Windows separaria pastas: recusada; nada foi gravado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.bad_name",
        "{path}: a entrada \"{entry}\" tem um nome que nenhuma raiz do TFTP deve conter ({why}): recusada; baixe o pacote da Cisco de novo",
    ),
    ("package.name.empty", "nome vazio"),
    ("package.name.control", "caractere de controle"),
    ("package.name.empty_part", "parte do caminho vazia ou \".\""),
    ("package.name.colon", "\":\" num nome"),
    (
        "package.name.windows_char",
        "um caractere que o Windows proíbe em nomes",
    ),
    (
        "package.name.trailing",
        "um nome que termina em espaço ou ponto",
    ),
    ("package.name.device", "um nome de dispositivo do Windows"),
    (
        "package.name.temporary",
        "um nome reservado aos arquivos temporários do convert79xx",
    ),
    ("package.name.not_text", "um nome que não é texto válido"),
    (
        "package.symlink",
        "{path}: a entrada \"{entry}\" é um link simbólico: recusada, pacotes de firmware contêm só arquivos comuns; nada foi gravado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.not_regular",
        "{path}: \"{entry}\" não é um arquivo comum (um dispositivo, pipe ou socket): recusado; remova-o ou informe só os arquivos do pacote",
    ),
    (
        "package.case_collision",
        "{path}: \"{first}\" e \"{second}\" diferem só em maiúsculas e minúsculas; os telefones pedem nomes exatos e alguns sistemas não guardam os dois: recusado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.duplicate",
        "{path}: \"{entry}\" aparece duas vezes: recusado, não dá para saber qual cópia é a verdadeira; baixe o pacote da Cisco de novo",
    ),
    (
        "package.nested_folder",
        "{path}: \"{entry}\" está dentro de uma pasta; os zips de firmware da Cisco são planos e o telefone busca cada arquivo na raiz do TFTP: coloque os arquivos no nível de cima do zip ou da pasta",
    ),
    (
        "package.encrypted",
        "{path}: \"{entry}\" está criptografado (protegido por senha): recusado; informe o pacote como a Cisco o distribui, sem senha",
    ),
    (
        "package.entry_too_large",
        "{path}: \"{entry}\" se expandiria para {size}, mais que os {limit} de que qualquer arquivo de firmware do 7940/7960 precisa (uma bomba zip?): recusado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.total_too_large",
        "{path}: o pacote se expandiria para {total} no total, mais que os {limit} de que um pacote de firmware do 7940/7960 precisa (uma bomba zip?): recusado; informe só o pacote de firmware",
    ),
    (
        "package.compression_ratio",
        "{path}: \"{entry}\" se expande {ratio} vezes o tamanho guardado, além do razoável para firmware (uma bomba zip?): recusado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.beyond_declared",
        "{path}: \"{entry}\" se expande além dos {declared} bytes que o zip declara para ele (uma bomba zip ou um zip danificado): recusado; nada foi gravado; baixe o pacote de novo",
    ),
    (
        "package.too_many_entries",
        "{path}: {count} entradas, muito mais do que um pacote de firmware contém: recusado; informe só o pacote de firmware",
    ),
    (
        "package.overlapping",
        "{path}: há entradas sobrepostas dentro do zip (um truque de bomba zip): recusado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.header_mismatch",
        "{path}: o cabeçalho local de \"{entry}\" no zip discorda do diretório dele ({detail}), um jeito de fazer passar outro nome ou tamanho por uma verificação: recusado; nada foi gravado; baixe o pacote da Cisco de novo",
    ),
    (
        "package.damaged",
        "{path}: \"{entry}\" está danificado ({detail}): baixe o pacote de novo",
    ),
    (
        "package.crc",
        "{path}: \"{entry}\" falha na verificação de CRC (esperado {expected}, obtido {actual}): o download está corrompido; nada foi gravado; baixe o pacote de novo",
    ),
    (
        "package.changed_on_disk",
        "{path}: \"{entry}\" mudou desde que o pacote foi aberto (o tamanho ou o CRC é outro): abra o pacote de novo",
    ),
    (
        "package.not_in_package",
        "{path}: nenhum arquivo \"{entry}\" neste pacote: {hint}",
    ),
    (
        "package.hint.case",
        "ele tem {name} (os nomes diferenciam maiúsculas e minúsculas)",
    ),
    ("package.hint.holds", "ele contém {names}"),
    (
        "package.destination_not_a_folder",
        "{path} não é uma pasta: informe a pasta raiz do TFTP em que descompactar",
    ),
    (
        "package.conflicts",
        "{path} já contém {names}: nada foi gravado; tire-os do caminho antes (o prepare faz backup deles para você)",
    ),
    (
        "package.incomplete",
        "{path}: falta {missing}, necessário para {load}: {hint}",
    ),
    ("package.hint.rename_one", "{have} deve se chamar {want}"),
    (
        "package.hint.rename",
        "{renames} (os telefones pedem nomes exatos): renomeie ou baixe o pacote de novo",
    ),
    (
        "package.hint.zip",
        "baixe de novo o pacote {family} completo (cmterm-7940-7960-…zip ou {load}.zip)",
    ),
    (
        "package.hint.folder",
        "descompacte o pacote {family} inteiro nesta pasta, ou informe o próprio zip",
    ),
    (
        "package.hint.image",
        "uma única imagem não basta para {family}: informe o pacote inteiro (o zip ou a pasta dele)",
    ),
    (
        "package.family.loader",
        "Carregador de aplicativo universal {version}",
    ),
    (
        "model.unknown",
        "modelo de telefone desconhecido '{input}': esperado 7940 ou 7960 (o número na etiqueta, por exemplo CP-7960G)",
    ),
    (
        "session.bind",
        "\"{input}\" não é um endereço: informe um IP, opcionalmente com uma porta (\"192.0.2.5\", \"0.0.0.0:69\")",
    ),
    ("cli.plan.model_error", "--model: {error}"),
    ("gui.csv.row", "linha {n}: {error}"),
    // MAC addresses
    (
        "mac.bad_character",
        "MAC '{input}': o caractere {position} ('{found}') não é um dígito hexadecimal (0-9, A-F)",
    ),
    (
        "mac.letter_o",
        "{text}: a letra O onde deveria estar o dígito 0?",
    ),
    (
        "mac.letter_i",
        "{text}: a letra I ou l onde deveria estar o dígito 1?",
    ),
    (
        "mac.wrong_length",
        "MAC '{input}' tem {count} dígitos hexadecimais; um MAC tem 12 (por exemplo 00:1E:4A:12:34:56, impresso embaixo do telefone)",
    ),
    // the commands
    ("cli.error", "erro: {error}"),
    ("cli.hint", "dica: {hint}"),
    (
        "cli.plan.example",
        "por exemplo --from P00308010200 --to P0S3-8-12-00, ou --from 'sccp 8.1(2)' --to 'sip 8.12'",
    ),
    (
        "cli.plan.missing",
        "falta --{flag}: diga qual carga os telefones executam agora (--from) e qual devem executar (--to)",
    ),
    ("cli.plan.via", " (via {routes})"),
    ("cli.plan.route", "Rota {route}{via}: {from} → {to}"),
    ("cli.plan.model", "Modelo: {model} ({lines} linhas)"),
    ("cli.plan.stage", "Etapa {n} de {total}: {title}"),
    ("cli.plan.installs", "Instala: {load}"),
    ("cli.plan.files", "Arquivos na raiz do TFTP:"),
    ("cli.plan.names", " [nomeia {image}]"),
    ("cli.plan.image_version_only", " [só image_version]"),
    ("cli.plan.if_available", " [se houver]"),
    (
        "cli.plan.moved_aside",
        "Movidos para uma pasta de backup, se existirem:",
    ),
    ("cli.plan.steps", "Passos:"),
    ("cli.plan.notes", "Notas:"),
    ("cli.plan.alternatives", "Alternativas:"),
    (
        "cli.fleet.summary",
        "{phones} {phone_word} para {to}: {routes} {route_word}{refused}",
    ),
    ("cli.fleet.refused_count", ", {n} recusada(s)"),
    (
        "cli.fleet.unopened",
        "Nota: os pacotes de firmware não puderam ser abertos ({why}); as cargas são nomeadas só pelas versões.",
    ),
    (
        "cli.fleet.route",
        "{key} ({title}, {stages} {stage_word}): {phones}",
    ),
    (
        "cli.fleet.assumed",
        "carga inicial desconhecida, planejada como {from}: {phones}",
    ),
    (
        "cli.fleet.refused_from",
        "recusada a partir de {from}: {phones}",
    ),
    ("cli.fleet.refused_for", "recusada para {phones}: {reason}"),
    // prepare
    (
        "cli.prepare.stage",
        "Etapa {stage} de {stages} ({route}): instala {target} — gravada em {out}",
    ),
    ("cli.prepare.wrote", "  gravado  {name} {size} B  {why}"),
    (
        "cli.prepare.kept",
        "  mantido  {name} {size} B  já está atualizado",
    ),
    ("cli.prepare.moved", "  movido   {name} → {to}  ({why})"),
    ("cli.prepare.then", "Depois:"),
    ("cli.prepare.action", "  - {action}"),
    ("cli.prepare.note", "Nota: {note}"),
    (
        "cli.prepare.ladder",
        "As etapas de cada telefone, para o `convert79xx serve` (ele atende cada telefone a partir da etapa atual dele e o faz avançar sozinho):",
    ),
    (
        "cli.prepare.folder",
        "  {folder} etapa {stage} de {stages} ({route}), instala {target}: {written} gravado(s), {kept} mantido(s), {moved} movido(s); para {phones}",
    ),
    (
        "cli.prepare.refused",
        "  recusada a partir de {from} para {phones}: {reason}",
    ),
    (
        "cli.prepare.finished_first",
        "O Ctrl-C veio enquanto a etapa era movida para o lugar; ela foi terminada antes, então a raiz do TFTP contém a etapa nova inteira.",
    ),
    (
        "cli.prepare.ladder_removed",
        "as pastas de etapas por telefone de um `prepare` anterior não são mais usadas: o `convert79xx serve` atende todos os telefones a partir desta etapa (execute o `prepare` sem --stage para voltar às respostas por telefone)",
    ),
];
