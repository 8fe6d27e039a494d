//! The Brazilian Portuguese texts, by message id. The words follow the
//! Portuguese edition of Cisco's tech note ("carga", "Carregador de
//! aplicativo universal", "servidor TFTP"); the phone's own menus
//! (Settings → Status → Firmware Versions) and file and parameter names
//! stay as the phone shows them.

mod errors;
mod log;
mod recognition;
mod serve;
mod wizard;

/// Every table: the words of the plan and the commands here, the errors,
/// the serving words, the serve log's sentences, the wizard's own words and
/// recognition's in modules of their own.
const TABLES: [&[(&str, &str)]; 6] = [
    TABLE,
    errors::TABLE,
    serve::TABLE,
    log::TABLE,
    wizard::TABLE,
    recognition::TABLE,
];

pub fn text(id: &str) -> Option<&'static str> {
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .find(|(k, _)| *k == id)
        .map(|(_, v)| *v)
}

#[cfg(test)]
pub fn ids() -> impl Iterator<Item = &'static str> {
    TABLES.iter().flat_map(|t| t.iter()).map(|(k, _)| *k)
}

const TABLE: &[(&str, &str)] = &[
    ("verbatim", "{text}"),
    ("list", "{list}, {next}"),
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
        "Confira no registro do servidor que o carregador foi enviado por inteiro. O servidor TFTP embutido então responde ao telefone pela próxima etapa dele sozinho; só com outro servidor TFTP, grave a próxima etapa agora.",
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
    ("plan.refusal.one_line", "{reason} {hint}"),
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
        "telefone desconhecido {mac} pediu {file}: ele não está na sessão. Adicioná-lo (MAC {upper}) à sessão e gravar os arquivos de novo?",
    ),
    (
        "hint.unknown_phone",
        "telefone desconhecido {mac}: ele não está na sessão. Adicioná-lo (MAC {upper}) à sessão e gravar os arquivos de novo?",
    ),
    (
        "hint.sip_config_missing",
        "falta {file}: este telefone não tem configuração SIP na raiz. Grave os arquivos desta etapa de novo.",
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
        "o telefone pede a imagem {asked_for}, que não está na raiz: adicione o pacote de firmware que a contém e grave os arquivos de novo.",
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
    ("hint.stuck", "travado: {reason}"),
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
        "falta: um destino SIP precisa do endereço do registrar/proxy dele (por exemplo 192.0.2.10)",
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
        "{lines} linhas, mas um {model} tem {buttons} botões de linha: remova {extra}, ou faça dele um 7960",
    ),
    (
        "session.no_firmware",
        "nenhum pacote de firmware listado: adicione o(s) zip(s) do destino (por exemplo P0S3-8-12-00.zip)",
    ),
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
