//! Brazilian Portuguese for the errors a user meets before serving: the
//! config writers' value checks, gkdefault.cfg, writing a stage, the
//! session file, firmware packages. Same voice as `pt_br.rs`.

pub(super) const TABLE: &[(&str, &str)] = &[
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
        "{package} não tem {files}: baixe o pacote completo de novo",
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
    // firmware packages
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
        "package.zip.no_end",
        "falta o fim dele, que lista os arquivos, ou ele foi cortado",
    ),
    (
        "package.zip.invalid",
        "a lista de arquivos dele está quebrada: {why}",
    ),
    (
        "package.zip.unsupported",
        "ele usa um recurso de zip que este programa não lê: {what}",
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
        "package.unsupported_method",
        "{path}: \"{entry}\" está comprimido com {method}, um método que os zips de firmware da Cisco nunca usam (eles usam deflate): recusado; baixe o pacote da Cisco de novo, ou refaça o zip dos arquivos com a compressão comum (deflate)",
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
        "{path}: não tem {missing}, que {load} precisa: {hint}",
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
    (
        "session.line_will_not_register",
        "a linha {line} ({extension}) do telefone {mac} não tem senha, mas os telefones se registram no proxy SIP {proxy}: o telefone vai ser convertido e depois não vai se registrar, a não ser que o proxy não peça senha. Informe a senha da linha.",
    ),
];
