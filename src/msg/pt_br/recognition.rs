//! Recognising a phone nobody described (issue 23): eras, verdicts, the
//! question asked when the evidence is not enough.

pub const TABLE: &[(&str, &str)] = &[
    (
        "recognition.era.sccp_text",
        "SCCP que não lê XML (anterior à 3.x)",
    ),
    (
        "recognition.era.sccp_pre_loader",
        "SCCP anterior ao carregador (3.x a 6.x)",
    ),
    (
        "recognition.era.sccp_loader_era",
        "SCCP da era do carregador (6.x a 8.x)",
    ),
    (
        "recognition.era.sip_pre_loader",
        "SIP anterior ao carregador (até 6.x)",
    ),
    (
        "recognition.era.sip_loader_era",
        "SIP da era do carregador (7.x em diante)",
    ),
    (
        "recognition.era.loader",
        "o Carregador de aplicativo universal, esperando seu aplicativo",
    ),
    (
        "recognition.no_route",
        "o prepare não gravou rota a partir de {start}: inclua o telefone na sessão com sua carga e rode `convert79xx prepare` de novo",
    ),
    (
        "recognition.held",
        "o telefone {mac} está sendo reconhecido ({eras} ainda possíveis): nada que possa mudar sua flash é enviado até sua rota ser decidida",
    ),
    (
        "recognition.conflict",
        "o que ele enviou não combina: {a}, mas {b}",
    ),
    (
        "recognition.not_enough",
        "o que ele enviou serve a mais de uma rota ({eras})",
    ),
    (
        "recognition.question",
        "O telefone {mac} está retido: {evidence}. O que diz Settings > Status > Firmware Versions em App Load ID? Escreva como from = \"…\" para o MAC {mac} no arquivo de sessão e rode `convert79xx prepare` e `serve` de novo.",
    ),
    (
        "recognition.boot_lost",
        "o telefone {mac} foi reconhecido depois de pedir o OS79XX.TXT, que o move na sua rota: ele é atendido pela sua rota a partir da próxima inicialização (desligue e ligue-o se ele não reiniciar sozinho)",
    ),
    (
        "recognition.why.conservative",
        "ele pode rodar qualquer um de {eras}: a rota a partir de {start}, segura para cada um",
    ),
    ("recognition.why.one", "{era}: a rota a partir de {start}"),
    (
        "journey.recognised",
        "reconhecido como {what}, rota {route}",
    ),
    (
        "log.recognised",
        "Telefone {mac} reconhecido: {family} {what} ({evidence}); rota {route}: {why}",
    ),
    (
        "cli.fleet.recognised",
        "para telefones reconhecidos durante o serve como {eras} (docs/recognition.md): {phones}",
    ),
    (
        "cli.prepare.recognised",
        "    e para telefones reconhecidos durante o serve como {eras} (docs/recognition.md)",
    ),
    (
        "cli.prepare.recognised_refused",
        "    então um telefone reconhecido como {eras} fica retido com este motivo",
    ),
];
