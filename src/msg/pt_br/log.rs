//! Brazilian Portuguese for the serve log as the wizard shows it: the
//! sentences in the style of the tech note's TFTP log ("Enviando o arquivo
//! ... em modo binário", then "Concluído."), the bench DHCP server's lines,
//! the summary when serving stops, and a phone's phases. Names, addresses,
//! loads and the protocol's own reasons inside stay as they are.

pub(super) const TABLE: &[(&str, &str)] = &[
    // a phone's phases
    ("phase.not_seen", "ainda não apareceu"),
    ("phase.has_address", "recebeu um endereço"),
    ("phase.asking_for_config", "pedindo a configuração"),
    ("phase.fetching_image", "baixando a imagem"),
    (
        "phase.image_fetched",
        "imagem baixada, gravando e reiniciando",
    ),
    ("phase.back_on_new_image", "de volta na nova imagem"),
    ("phase.configured", "configurado"),
    // the TFTP service
    (
        "log.listening",
        "Servindo {root} somente para leitura. {how}.",
    ),
    (
        "log.sending",
        "Enviando o arquivo '{file}' para {ip} em modo {mode}",
    ),
    (
        "log.sending_found_as",
        "Enviando o arquivo '{file}' para {ip} em modo {mode} (encontrado como '{leaf}', sem diferenciar maiúsculas)",
    ),
    ("log.done", "Concluído. ('{file}' para {ip}, {bytes} bytes)"),
    (
        "log.failed",
        "Falhou ({reason}). ('{file}' para {ip}, após {bytes} bytes)",
    ),
    ("log.not_found", "Arquivo '{file}' não encontrado para {ip}"),
    (
        "log.not_found_trust_list",
        "Arquivo '{file}' não encontrado para {ip} (normal: sem lista de confiança de segurança)",
    ),
    ("log.refused", "Recusado '{file}' de {ip}: {reason}"),
    ("log.phone_at", "Telefone {mac} está em {ip}"),
    (
        "log.ignored_packets",
        "Ignorado(s) {count} pacote{s} de {ip}: {reason}",
    ),
    (
        "log.unplaced",
        "Respondendo a {ip} como a nenhum telefone: {why}",
    ),
    (
        "log.answering",
        "Respondendo a {ip} pela etapa {stage} de {stages} de {route} ({folder}): {why}",
    ),
    (
        "log.stage_done.next",
        "agora respondido pela etapa {next} de {stages}",
    ),
    ("log.stage_done.last", "essa foi a última etapa dele"),
    (
        "log.stage_done",
        "Telefone {mac}: etapa {stage} de {stages} de {route} concluída, ele executa {load}; {next}.",
    ),
    (
        "log.stuck",
        "Telefone {mac} está travado em {file}: {reason}",
    ),
    ("log.warning", "Aviso: {text}"),
    (
        "log.quarter",
        "  '{file}' para {ip}: {percent}% ({bytes} de {size} bytes)",
    ),
    ("log.phase", "Telefone {phone} ({ip}): {phase}"),
    ("log.hint", "Telefone {phone}: {hint}"),
    // what is said right after the listening line
    (
        "log.stage_intro",
        "Etapa {stage} de {stages} ({route}): os telefones vão para {image}; {files} arquivos a servir{known}.{then}",
    ),
    (
        "log.stage_intro.known",
        " para {known} telefone{s} da sessão",
    ),
    (
        "log.stage_intro.then",
        " Quando todos os telefones terminarem, prepare a etapa {next} e sirva de novo.",
    ),
    (
        "log.ladder_intro",
        "Cada telefone é respondido com os arquivos da própria etapa e passa sozinho para a próxima ({routes} rota{s}):",
    ),
    (
        "log.ladder_intro.route",
        "  {key} ({title}, {stages} etapa{s}): {phones}",
    ),
    (
        "log.ladder_intro.held_back",
        "  retido, rota recusada: {mac}: {reason}",
    ),
    // the bench DHCP server
    (
        "log.dhcp.probe_clear",
        "DHCP: nenhum outro servidor DHCP respondeu em {interface}",
    ),
    (
        "log.dhcp.probe_other",
        "DHCP: outro servidor DHCP respondeu em {interface}",
    ),
    (
        "log.dhcp.probe_other_from",
        "DHCP: outro servidor DHCP respondeu em {interface}, de {server}",
    ),
    (
        "log.dhcp.probe_skipped",
        "DHCP: verificação de outros servidores em {interface} pulada (forçado)",
    ),
    (
        "log.dhcp.listening",
        "DHCP: atendendo telefones Cisco em {interface} ({addr}), endereços {pool}",
    ),
    ("log.dhcp.offer", "DHCP: ofereceu {ip} a {mac}{vendor}"),
    ("log.dhcp.ack", "DHCP: {mac} tem {ip} por {secs} s{vendor}"),
    (
        "log.dhcp.nak",
        "DHCP: recusou {ip} a {mac}: não é o endereço dele",
    ),
    ("log.dhcp.release", "DHCP: {mac} devolveu {ip}"),
    (
        "log.dhcp.decline",
        "DHCP: {mac} encontrou {ip} em uso por outro dispositivo; esse endereço não será entregue por {minutes} min",
    ),
    (
        "log.dhcp.ignored",
        "DHCP: ignorando {mac} (sem classe de fornecedor): não é um telefone IP Cisco desta sessão",
    ),
    (
        "log.dhcp.ignored_vendor",
        "DHCP: ignorando {mac} (classe de fornecedor \"{vendor}\"): não é um telefone IP Cisco desta sessão",
    ),
    (
        "log.dhcp.pool_full",
        "DHCP: nenhum endereço sobrando para {mac}: a faixa está cheia; defina uma faixa de endereços maior.",
    ),
    (
        "log.dhcp.dropped",
        "DHCP: {dropped} mensagens ficaram sem resposta desde a última linha como esta: muitas de um mesmo MAC ou de clientes novos (uma inundação?); os telefones da sessão continuam sendo atendidos",
    ),
    (
        "log.dhcp.forged_release",
        "DHCP: RELEASE de {ip} em nome de {mac}, enviado de {from}, ignorado: só o próprio telefone, a partir desse endereço, pode devolvê-lo",
    ),
    (
        "log.dhcp.forged_decline",
        "DHCP: DECLINE de {ip} em nome de {mac}, enviado de {from}, ignorado: não vem desse telefone verificando um endereço novo",
    ),
    // when serving stops
    (
        "log.summary.stopped",
        "Parado. Vistos: {count} telefone{s}.",
    ),
    ("log.summary.route", " — {place}"),
    (
        "log.summary.phone",
        "  {phone} em {ip}: {phase}{route}; {fetched} arquivo{s} baixado(s), {failed} com falha, {not_found} não encontrado(s); visto pela última vez há {secs} s",
    ),
    ("log.summary.failed", "    falhou: {file} ({reason})"),
    (
        "log.summary.failed_more",
        "    ({count} falhas anteriores não listadas)",
    ),
    ("log.summary.hint", "    dica: {hint}"),
    ("log.summary.resolved", "    {earlier}"),
    (
        "log.summary.history_more",
        "    ({count} problemas anteriores resolvidos não listados)",
    ),
    ("journey.problem.failed", "{file}: {reason}"),
    (
        "journey.resolved.fetched_later",
        "{file} foi baixado por inteiro depois",
    ),
    (
        "journey.resolved.stage_done",
        "a etapa {stage} foi concluída depois",
    ),
    ("journey.resolved", "antes: {problem} (resolvido: {by})"),
    ("log.mode.binary", "binário"),
    (
        "log.summary.hints_more",
        "    ({count} dicas a mais não guardadas)",
    ),
    ("log.where", "{route} ({title}): {done}, {at}{stuck}"),
    ("log.where.none_done", "nenhuma etapa concluída"),
    ("log.where.done", "etapa{s} {stages} concluída(s)"),
    ("log.where.all_done", "todas as {stages} concluídas"),
    ("log.where.on_stage", "na etapa {stage} de {stages}"),
    ("log.where.stuck", ", travado"),
    (
        "log.unseen",
        "  {mac} não visto — {key} ({title}): na etapa {stage} de {stages}",
    ),
    // how a phone was placed on its route
    ("ladder.placed_by.lease", "a concessão DHCP dele"),
    (
        "ladder.placed_by.request",
        "um pedido anterior com o MAC dele",
    ),
    ("ladder.placed_by.neighbour", "a tabela de vizinhos (ARP)"),
    (
        "ladder.why.placed",
        "o telefone {mac} foi localizado por {how}",
    ),
    (
        "ladder.why.not_in_session",
        "o telefone {mac} não está na sessão: respondido pela etapa em que está a maioria dos telefones",
    ),
    (
        "ladder.why.not_placed",
        "ainda não localizado (sem concessão DHCP, sem entrada na tabela de vizinhos (ARP), sem pedido com o MAC dele): um arquivo sem MAC no nome só é enviado quando todas as etapas em que ele pode estar têm o mesmo; senão, \"não encontrado\", e o telefone informa o MAC no pedido seguinte",
    ),
    (
        "ladder.why.claimed",
        "ele usa o MAC do telefone {mac}, que está em {holder}: não conta para esse telefone (reivindicado por outro endereço)",
    ),
    (
        "ladder.why.address_taken",
        "este endereço é do telefone {owner}: um pedido com o MAC {mac} vindo dele não conta para {mac}",
    ),
];
