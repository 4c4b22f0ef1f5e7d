"""Every sentence a user reads, in Spanish and English.

The library raises errors and reports problems as `Message` values (a key and its
parameters); only the CLI decides the language and renders them. Keeping the texts in one
catalogue lets a test check that none lacks a language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

CATALOGUE: dict[str, dict[Language, str]] = {
    # Rounds
    "round.invalid": {
        "es": (
            "«{text}» no es una ronda. Una ronda se escribe AAAA-06 (junio) o AAAA-12 "
            "(diciembre), por ejemplo 2018-12; también se acepta el semestre del envío: "
            "2018S1 o 2018-S1 (= 2018-06), 2018S2 o 2018-S2 (= 2018-12)."
        ),
        "en": (
            "'{text}' is not a round. A round is written YYYY-06 (June) or YYYY-12 "
            "(December), for example 2018-12; the half-year it is sent in is accepted too: "
            "2018S1 or 2018-S1 (= 2018-06), 2018S2 or 2018-S2 (= 2018-12)."
        ),
    },
    "round.year_out_of_range": {
        "es": "«{text}»: el año de una ronda debe estar entre {low} y {high}.",
        "en": "'{text}': the year of a round must be between {low} and {high}.",
    },
    # Workspace
    "workspace.not_found": {
        "es": (
            "No se encuentra ningún espacio de trabajo (un directorio con rapporteur.toml) "
            "en {start} ni en sus directorios superiores. Cree uno con «rapporteur init "
            "DIRECTORIO», o indique cuál usar con --workspace o la variable "
            "RAPPORTEUR_WORKSPACE."
        ),
        "en": (
            "No workspace (a folder holding rapporteur.toml) was found in {start} or any "
            "folder above it. Create one with 'rapporteur init FOLDER', or say which to use "
            "with --workspace or the RAPPORTEUR_WORKSPACE variable."
        ),
    },
    "workspace.not_a_workspace": {
        "es": "{path} no es un espacio de trabajo: le falta rapporteur.toml.",
        "en": "{path} is not a workspace: it has no rapporteur.toml.",
    },
    "workspace.exists": {
        "es": (
            "{path} ya es un espacio de trabajo (tiene rapporteur.toml); no se sobrescribe "
            "nada. Elija otro directorio."
        ),
        "en": (
            "{path} is already a workspace (it has rapporteur.toml); nothing was "
            "overwritten. Choose another folder."
        ),
    },
    "workspace.not_empty": {
        "es": (
            "{path} ya contiene {names}; no se sobrescribe nada. Elija un directorio nuevo o vacío."
        ),
        "en": (
            "{path} already holds {names}; nothing was overwritten. Choose a new or empty folder."
        ),
    },
    "workspace.cannot_write": {
        "es": "No se puede escribir en {path}: {reason}.",
        "en": "Cannot write to {path}: {reason}.",
    },
    "workspace.missing_file": {
        "es": "Falta {path} en el espacio de trabajo. {hint}",
        "en": "{path} is missing from the workspace. {hint}",
    },
    "workspace.secret_hint": {
        "es": (
            "Sin la clave no se pueden firmar ni comprobar los cuestionarios; restáurela de "
            "la copia de seguridad."
        ),
        "en": "Without the key questionnaires cannot be signed or checked; restore it from backup.",
    },
    "workspace.registry_hint": {
        "es": "Restáurelo de la copia de seguridad o cree un espacio nuevo con «rapporteur init».",
        "en": "Restore it from backup or create a new workspace with 'rapporteur init'.",
    },
    "toml.syntax": {
        "es": "{file}, línea {line}: el archivo no es TOML válido ({detail}).",
        "en": "{file}, line {line}: the file is not valid TOML ({detail}).",
    },
    "settings.invalid": {
        "es": "{file}, línea {line}: «{key}»: {detail}",
        "en": "{file}, line {line}: '{key}': {detail}",
    },
    "settings.broken": {
        "es": "La configuración {file} tiene errores; corríjalos y vuelva a intentarlo.",
        "en": "The settings file {file} has errors; correct them and try again.",
    },
    # Registry
    "registry.broken": {
        "es": "El registro de organismos {file} tiene {count} error(es).",
        "en": "The agency registry {file} has {count} error(s).",
    },
    "registry.duplicate_id": {
        "es": "{file}, línea {line}: el identificador «{id}» ya se usa en la línea {first_line}.",
        "en": "{file}, line {line}: the id '{id}' is already used on line {first_line}.",
    },
    "registry.bad_id": {
        "es": (
            "{file}, línea {line}: el identificador «{value}» no es válido: use de 2 a 40 "
            "letras minúsculas sin tilde, cifras o guiones, empezando por letra o cifra "
            "(p. ej. «ong-05»)."
        ),
        "en": (
            "{file}, line {line}: the id '{value}' is not valid: use 2 to 40 lower-case "
            "letters without accents, digits or hyphens, starting with a letter or digit "
            "(e.g. 'ngo-05')."
        ),
    },
    "registry.unknown_kind": {
        "es": (
            "{file}, línea {line}: tipo de organismo desconocido «{value}»; los tipos son: {known}."
        ),
        "en": "{file}, line {line}: unknown kind of agency '{value}'; the kinds are: {known}.",
    },
    "registry.bad_region": {
        "es": (
            "{file}, línea {line}: código de región «{value}» no válido; use uno de los 19 "
            "códigos ISO 3166-2:ES ({known}) o ES para un organismo de ámbito nacional."
        ),
        "en": (
            "{file}, line {line}: region code '{value}' is not valid; use one of the 19 "
            "ISO 3166-2:ES codes ({known}) or ES for a national body."
        ),
    },
    "registry.region_needed": {
        "es": (
            "{file}, línea {line}: un organismo de tipo {kind} actúa en una comunidad o "
            "ciudad autónoma: su región no puede ser ES."
        ),
        "en": (
            "{file}, line {line}: an agency of kind {kind} works in one autonomous "
            "community or city: its region cannot be ES."
        ),
    },
    "registry.bad_email": {
        "es": "{file}, línea {line}: «{value}» no es una dirección de correo bien formada.",
        "en": "{file}, line {line}: '{value}' is not a well-formed e-mail address.",
    },
    "registry.bad_language": {
        "es": "{file}, línea {line}: idioma «{value}» no admitido; use es o en.",
        "en": "{file}, line {line}: language '{value}' is not supported; use es or en.",
    },
    "registry.missing_key": {
        "es": "{file}, línea {line}: al organismo le falta «{key}».",
        "en": "{file}, line {line}: the agency lacks '{key}'.",
    },
    "registry.unknown_key": {
        "es": "{file}, línea {line}: clave desconocida «{key}»; las claves son: {known}.",
        "en": "{file}, line {line}: unknown key '{key}'; the keys are: {known}.",
    },
    "registry.bad_value": {
        "es": "{file}, línea {line}: «{key}»: {detail}",
        "en": "{file}, line {line}: '{key}': {detail}",
    },
    "registry.not_a_list": {
        "es": (
            "{file}: los organismos deben escribirse como tablas [[agency]]; no se ha "
            "encontrado ninguna lista de organismos."
        ),
        "en": (
            "{file}: agencies must be written as [[agency]] tables; no list of agencies was found."
        ),
    },
    "registry.unknown_agency": {
        "es": "No hay ningún organismo con el identificador «{id}» en el registro.",
        "en": "There is no agency with the id '{id}' in the registry.",
    },
    "registry.rejected_addition": {
        "es": "No se ha añadido el organismo «{id}»: {reason}",
        "en": "The agency '{id}' was not added: {reason}",
    },
    # Commands
    "init.created": {
        "es": "Espacio de trabajo creado en {path} con {agencies} organismos en el registro.",
        "en": "Workspace created in {path} with {agencies} agencies in the registry.",
    },
    "init.next": {
        "es": (
            "Siguientes pasos: revise {path}/rapporteur.toml y {path}/agencies.toml (las "
            "direcciones son de ejemplo), compruebe el registro con «rapporteur agencies "
            "check» y emita una ronda con «rapporteur issue --round AAAA-MM»."
        ),
        "en": (
            "Next: review {path}/rapporteur.toml and {path}/agencies.toml (the addresses are "
            "placeholders), check the registry with 'rapporteur agencies check' and issue a "
            "round with 'rapporteur issue --round YYYY-MM'."
        ),
    },
    "demo.intro": {
        "es": "Demostración: una oficina de ejemplo (45 organismos, tres rondas: 2017-12, 2018-06 y 2018-12, con los errores que cometen de verdad los organismos) en {path}. Cada paso es la orden real.",
        "en": "Demo: an example office (45 agencies, three rounds: 2017-12, 2018-06 and 2018-12, with the mistakes agencies really make) in {path}. Each step is the real command.",
    },
    "demo.done": {
        "es": "Demostración completa en {seconds} s. El espacio de trabajo estaba en {path}.",
        "en": "Demo complete in {seconds} s. The workspace was {path}.",
    },
    "demo.removed": {
        "es": "Se ha borrado al terminar; para conservarlo use «rapporteur demo --keep CARPETA».",
        "en": "It was removed at the end; to keep it use 'rapporteur demo --keep FOLDER'.",
    },
    "demo.next": {
        "es": "Pruebe ahora, dentro de {path}: «rapporteur summary --by-kind», «rapporteur archive history 2018-12 ccaa-mc», «rapporteur archive diff 2018-12 ccaa-mc», «rapporteur summary --publish --format markdown», «rapporteur archive history 2018-12 ong-02»; abra resumen-2018-12.xlsx y las devoluciones de feedback/2018-12/.",
        "en": "Now try, inside {path}: 'rapporteur summary --by-kind', 'rapporteur archive history 2018-12 ccaa-mc', 'rapporteur archive diff 2018-12 ccaa-mc', 'rapporteur summary --publish --format markdown', 'rapporteur archive history 2018-12 ong-02'; open resumen-2018-12.xlsx and the feedback workbooks in feedback/2018-12/.",
    },
    "agencies.title": {
        "es": "Organismos ({count})",
        "en": "Agencies ({count})",
    },
    "agencies.added": {
        "es": "Añadido al registro: {id} ({name}).",
        "en": "Added to the registry: {id} ({name}).",
    },
    "agencies.removed": {
        "es": "Retirado del registro: {id} ({name}). Sus respuestas archivadas se conservan.",
        "en": "Removed from the registry: {id} ({name}). Its archived returns are kept.",
    },
    "agencies.check_ok": {
        "es": "{file}: {count} organismos, sin errores.",
        "en": "{file}: {count} agencies, no problems.",
    },
    "questionnaire.fields_title": {
        "es": "Cuestionario v{version}, organismos de tipo {kind}: {count} entradas",
        "en": "Questionnaire v{version}, agencies of kind {kind}: {count} inputs",
    },
    "questionnaire.unknown_kind": {
        "es": "Tipo de organismo desconocido «{kind}»; los tipos son: {known}.",
        "en": "Unknown kind of agency '{kind}'; the kinds are: {known}.",
    },
    "questionnaire.check_ok": {
        "es": "{file}: correcto; {fields} campos, {rules} reglas, {inputs} entradas.",
        "en": "{file}: correct; {fields} fields, {rules} rules, {inputs} inputs.",
    },
    "questionnaire.no_file": {
        "es": "No existe el archivo {file}.",
        "en": "There is no file {file}.",
    },
    "schema.exported": {
        "es": "{count} esquemas JSON escritos en {folder}.",
        "en": "{count} JSON Schemas written to {folder}.",
    },
    "archive.damaged": {
        "es": "El archivo {path} del archivo histórico está dañado ({detail}).",
        "en": "The archive file {path} is damaged ({detail}).",
    },
    "issue.already_issued": {
        "es": (
            "Ya se emitió el cuestionario de la ronda {round} a: {agencies}. Para volver a "
            "emitirlo use --force; el anterior se conserva en superseded/."
        ),
        "en": (
            "The questionnaire of round {round} was already issued to: {agencies}. To issue "
            "it again use --force; the earlier one is kept in superseded/."
        ),
    },
    "issue.nothing_selected": {
        "es": "Ningún organismo del registro coincide con la selección.",
        "en": "No agency of the registry matches the selection.",
    },
    "issue.done": {
        "es": "{count} cuestionarios de la ronda {round} escritos en {folder} (plazo: {deadline}).",
        "en": "{count} questionnaires of round {round} written to {folder} (deadline: {deadline}).",
    },
    "issue.reissued": {
        "es": "{count} de ellos sustituyen a uno emitido antes, que se conserva en superseded/.",
        "en": "{count} of them replace one issued before, which is kept in superseded/.",
    },
    "issue.deadline_passed": {
        "es": "Atención: la fecha límite {deadline} ya ha pasado; indique otra con --deadline.",
        "en": "Warning: the deadline {deadline} has already passed; set another with --deadline.",
    },
    "issue.title": {"es": "Cuestionarios emitidos", "en": "Questionnaires issued"},
    # The questionnaire workbook
    "workbook.cover_sheet": {"es": "Portada", "en": "Cover"},
    "workbook.agency": {"es": "Organismo", "en": "Agency"},
    "workbook.round": {"es": "Ronda", "en": "Round"},
    "workbook.period": {"es": "Periodo de referencia", "en": "Reporting period"},
    "workbook.period_value": {
        "es": "del {start} al {end} (cifras {status})",
        "en": "{start} to {end} ({status} figures)",
    },
    "workbook.status_provisional": {"es": "provisionales", "en": "provisional"},
    "workbook.status_final": {"es": "definitivas", "en": "final"},
    "workbook.deadline": {"es": "Fecha límite de respuesta", "en": "Reply by"},
    "workbook.contact": {"es": "Contacto para consultas", "en": "Contact for questions"},
    "workbook.how_to_fill": {
        "es": "Cómo rellenar este cuestionario",
        "en": "How to fill in this questionnaire",
    },
    "workbook.fill_shaded": {
        "es": "Escriba solo en las celdas sombreadas; el resto de la hoja está protegido.",
        "en": "Type only in the shaded cells; the rest of each sheet is protected.",
    },
    "workbook.fill_blank": {
        "es": "Deje la celda en blanco si no conoce el dato (desconocido).",
        "en": "Leave a cell blank when you do not know the figure (unknown).",
    },
    "workbook.fill_zero": {
        "es": "Escriba 0 cuando sepa que no hubo ninguno. En blanco y 0 no significan lo mismo.",
        "en": "Type 0 when you know there were none. Blank and 0 do not mean the same.",
    },
    "workbook.fill_required": {
        "es": "Las preguntas marcadas con * y sombreadas en amarillo son las que su organismo debe responder; las azules, si dispone del dato.",
        "en": "Questions marked * and shaded yellow are the ones your agency must answer; blue ones if you have the figure.",
    },
    "workbook.fill_lists": {
        "es": "En las celdas con lista, elija un valor de la lista; en las opciones múltiples, marque con una X.",
        "en": "In cells with a list, choose a value from it; in multiple choices, mark with an X.",
    },
    "workbook.fill_sums": {
        "es": "Cuente personas, no casos. Debajo de cada desglose se calcula su suma: ✓ si coincide con el total, ✗ si no.",
        "en": "Count persons, not cases. Below each breakdown its sum is computed: ✓ when it matches the total, ✗ when not.",
    },
    "workbook.fill_previous": {
        "es": "A la derecha de algunas preguntas se muestra, en gris, el dato que su organismo dio en la misma ronda del año anterior.",
        "en": "Beside some questions, in grey, is the figure your agency gave in the same round a year earlier.",
    },
    "workbook.fill_return": {
        "es": "Guarde el archivo en formato .xlsx, sin cambiar su nombre ni sus hojas, y devuélvalo por correo electrónico.",
        "en": "Save the file as .xlsx, without renaming it or its sheets, and send it back by e-mail.",
    },
    "workbook.sheets": {"es": "Hojas de este cuestionario", "en": "Sheets of this questionnaire"},
    "workbook.sheet_subtitle": {
        "es": "{agency} · ronda {round} · periodo del {start} al {end}",
        "en": "{agency} · round {round} · period {start} to {end}",
    },
    "workbook.legend": {
        "es": "Amarillo y *: requerido · azul: si dispone del dato · en blanco = desconocido · 0 = ninguno",
        "en": "Yellow and *: required · blue: if you have the figure · blank = unknown · 0 = none",
    },
    "workbook.question": {"es": "Pregunta", "en": "Question"},
    "workbook.answer": {"es": "Respuesta", "en": "Answer"},
    "workbook.sum_label": {
        "es": "Suma del desglose (debe coincidir con el total)",
        "en": "Sum of the breakdown (must match the total)",
    },
    "workbook.previous_value": {
        "es": "Ronda {round}: {value}",
        "en": "Round {round}: {value}",
    },
    "validation.title": {"es": "Dato no válido", "en": "Invalid entry"},
    "validation.count": {
        "es": "Escriba un número entero entre {minimum} y {maximum}. En blanco si no lo sabe; 0 si no hubo ninguno.",
        "en": "Type a whole number from {minimum} to {maximum}. Blank if unknown; 0 if there were none.",
    },
    "validation.eur": {
        "es": "Escriba un importe en euros entre {minimum} y {maximum}, con dos decimales como máximo.",
        "en": "Type an amount in euros from {minimum} to {maximum}, with at most two decimals.",
    },
    "validation.number": {
        "es": "Escriba un número entre {minimum} y {maximum}.",
        "en": "Type a number from {minimum} to {maximum}.",
    },
    "validation.date": {
        "es": "Escriba una fecha (día/mes/año), por ejemplo 31/12/2018.",
        "en": "Type a date (day/month/year), for example 31/12/2018.",
    },
    "validation.text": {
        "es": "Escriba un texto de {maximum} caracteres como máximo.",
        "en": "Type a text of at most {maximum} characters.",
    },
    "validation.choice": {
        "es": "Elija un valor de la lista desplegable.",
        "en": "Choose a value from the drop-down list.",
    },
    "validation.mark": {
        "es": "Escriba {mark} para marcar esta opción, o deje la celda en blanco.",
        "en": "Type {mark} to mark this option, or leave the cell blank.",
    },
    "archive.busy": {
        "es": "El archivo histórico está ocupado (lo tiene el proceso {pid} en {host} desde {since}). Espere a que termine, o repita la orden con --wait.",
        "en": "The archive is busy (held by PID {pid} on {host} since {since}). Wait for it to finish, or repeat the command with --wait.",
    },
    "archive.no_return": {
        "es": "No hay ninguna respuesta archivada de {agency} en la ronda {round}.",
        "en": "There is no archived return of {agency} in round {round}.",
    },
    "archive.no_version": {
        "es": "No existe la versión {version} de la respuesta de {agency} en la ronda {round}; hay: {known}.",
        "en": "There is no version {version} of the return of {agency} in round {round}; there are: {known}.",
    },
    "archive.no_consolidated": {
        "es": "No existe la vista consolidada {version} de la ronda {round}; hay: {known}.",
        "en": "There is no consolidated view {version} of round {round}; there are: {known}.",
    },
    "archive.no_round": {
        "es": "La ronda {round} no está en el archivo histórico; hay: {known}.",
        "en": "Round {round} is not in the archive; there are: {known}.",
    },
    "archive.newer_format": {
        "es": "El archivo histórico usa el formato {found}, que esta versión de rapporteur no conoce (conoce el {known}); actualice rapporteur.",
        "en": "The archive uses format {found}, which this version of rapporteur does not know (it knows {known}); update rapporteur.",
    },
    "verify.interrupted_write": {
        "es": "{file}: queda una escritura interrumpida que no se ha podido completar (el archivo histórico estaba ocupado).",
        "en": "{file}: an interrupted write remains that could not be completed (the archive was busy).",
    },
    "verify.unknown_file": {
        "es": "{file}: archivo o carpeta que el archivo histórico no ha escrito.",
        "en": "{file}: a file or folder the archive did not write.",
    },
    "verify.unreadable": {
        "es": "{file}: no se puede leer ({detail}).",
        "en": "{file}: cannot be read ({detail}).",
    },
    "verify.missing_version": {
        "es": "{file}: falta esta versión; la numeración de las versiones tiene un hueco.",
        "en": "{file}: this version is missing; the numbering of versions has a gap.",
    },
    "verify.header_mismatch": {
        "es": "{file}: la cabecera dice {key} = {found}, que no corresponde a su lugar en el archivo histórico.",
        "en": "{file}: its header says {key} = {found}, which does not match its place in the archive.",
    },
    "verify.chain_broken": {
        "es": "{file}: la huella de la versión anterior ({previous}) no coincide: una de las dos ha cambiado.",
        "en": "{file}: the fingerprint of the version before it ({previous}) does not match: one of them was changed.",
    },
    "verify.names_missing_version": {
        "es": "{file}: incluye la versión {version} de {agency}, que no existe.",
        "en": "{file}: includes version {version} of {agency}, which does not exist.",
    },
    "verify.hash_mismatch": {
        "es": "{file}: su contenido ha cambiado desde que se consolidó en {view}.",
        "en": "{file}: its content changed since it was consolidated in {view}.",
    },
    "verify.view_differs": {
        "es": "{file}: los datos de {agency} no coinciden con su versión {version}.",
        "en": "{file}: the data of {agency} differ from its version {version}.",
    },
    "verify.not_in_latest_view": {
        "es": "{file}: esta versión no figura en la última vista consolidada ({view}).",
        "en": "{file}: this version is not in the latest consolidated view ({view}).",
    },
    "verify.entry_differs": {
        "es": "{file}: dice de {agency} {key} = {found}, pero {source} dice {expected}.",
        "en": "{file}: says of {agency} {key} = {found}, but {source} says {expected}.",
    },
    "verify.unsigned_view": {
        "es": "{file}: le falta la firma que llevan las vistas consolidadas anteriores.",
        "en": "{file}: it lacks the signature the consolidated views before it carry.",
    },
    "verify.bad_signature": {
        "es": "{file}: su firma no corresponde a su contenido: se ha editado a mano.",
        "en": "{file}: its signature does not match its content: it was edited by hand.",
    },
    "verify.round_changed": {
        "es": "{file}: ha cambiado desde que se escribió {view} (plazo, periodo o cuestionarios emitidos editados a mano).",
        "en": "{file}: changed since {view} was written (deadline, period or questionnaires issued edited by hand).",
    },
    "verify.issued_differs": {
        "es": "{file}: el cuestionario emitido a {agency} no es el que registra round.toml.",
        "en": "{file}: the questionnaire issued to {agency} is not the one round.toml records.",
    },
    "verify.missing_list_differs": {
        "es": "{file}: la lista de organismos que faltan no coincide con los cuestionarios emitidos.",
        "en": "{file}: the list of missing agencies does not match the questionnaires issued.",
    },
    "verify.not_consolidated": {
        "es": "{file}: hay respuestas o recibos archivados pero ninguna vista consolidada.",
        "en": "{file}: there are archived returns or receipts but no consolidated view.",
    },
    "verify.intact": {
        "es": "Archivo histórico íntegro: {rounds} rondas, {files} archivos comprobados.",
        "en": "Archive intact: {rounds} rounds, {files} files checked.",
    },
    "verify.damaged": {
        "es": "El archivo histórico tiene {count} problema(s):",
        "en": "The archive has {count} problem(s):",
    },
    "verify.recovered": {
        "es": "Se completó una escritura que había quedado interrumpida.",
        "en": "A write that had been interrupted was completed.",
    },
    "archive.revert_to_current": {
        "es": "La versión {version} de {agency} ya es la vigente: no hay nada que restablecer.",
        "en": "Version {version} of {agency} is already the current one: there is nothing to revert.",
    },
    "archive.reverted": {
        "es": "Respuesta de {agency}, ronda {round}: la versión {version} repone los datos de la versión {to}. La versión {previous} sigue archivada.",
        "en": "Return of {agency}, round {round}: version {version} restores the data of version {to}. Version {previous} stays archived.",
    },
    "archive.restores": {"es": "{version} (repone la {to})", "en": "{version} (restores {to})"},
    "workspace.secret_exposed": {
        "es": "Aviso: otros usuarios de este equipo pueden leer la clave {path} (permisos {mode}); con ella se firman cuestionarios y vistas. Protéjala con: chmod 600 {path}",
        "en": "Warning: other users of this computer can read the key {path} (mode {mode}); it signs questionnaires and views. Protect it with: chmod 600 {path}",
    },
    "archive.list_title": {"es": "Rondas del archivo histórico", "en": "Rounds of the archive"},
    "archive.history_title": {
        "es": "Versiones de la respuesta de {agency}, ronda {round}",
        "en": "Versions of the return of {agency}, round {round}",
    },
    "archive.one_version": {
        "es": "La respuesta de {agency} en la ronda {round} tiene una sola versión: no hay nada que comparar.",
        "en": "The return of {agency} in round {round} has a single version: there is nothing to compare.",
    },
    "archive.diff_title": {
        "es": "{agency}, ronda {round}: de la versión {before} a la {after}, {count} cambio(s)",
        "en": "{agency}, round {round}: from version {before} to {after}, {count} change(s)",
    },
    # Collecting
    "collect.no_such_file": {
        "es": "{file}: no existe ningún archivo con ese nombre o patrón.",
        "en": "{file}: no file matches this name or pattern.",
    },
    "collect.unreadable": {
        "es": "{file}: no se puede leer ({detail}).",
        "en": "{file}: cannot be read ({detail}).",
    },
    "collect.same_content": {
        "es": "mismo contenido que {first}; se ha tratado una sola vez",
        "en": "same content as {first}; processed once",
    },
    "collect.empty": {
        "es": "{file}: el archivo está vacío. Pida al organismo que lo envíe de nuevo.",
        "en": "{file}: the file is empty. Ask the agency to send it again.",
    },
    "collect.damaged": {
        "es": "{file}: el archivo está dañado y no se puede abrir como hoja de cálculo. Pida al organismo que lo guarde de nuevo en formato .xlsx.",
        "en": "{file}: the file is damaged and cannot be opened as a spreadsheet. Ask the agency to save it again as .xlsx.",
    },
    "collect.xls": {
        "es": "{file}: está guardado en el formato antiguo de Excel (.xls). Pida al organismo que lo guarde como libro de Excel (.xlsx) sin cambiar nada más.",
        "en": "{file}: it was saved in the old Excel format (.xls). Ask the agency to save it as an Excel workbook (.xlsx) without changing anything else.",
    },
    "collect.ods": {
        "es": "{file}: está guardado en formato OpenDocument (.ods). Pida al organismo que lo guarde como libro de Excel (.xlsx).",
        "en": "{file}: it was saved in OpenDocument format (.ods). Ask the agency to save it as an Excel workbook (.xlsx).",
    },
    "collect.encrypted": {
        "es": "{file}: está protegido con contraseña. Pida al organismo que lo envíe sin contraseña de apertura.",
        "en": "{file}: it is password-protected. Ask the agency to send it without an opening password.",
    },
    "collect.not_spreadsheet": {
        "es": "{file}: no es una hoja de cálculo .xlsx. Pida al organismo el cuestionario que se le envió, relleno.",
        "en": "{file}: it is not an .xlsx spreadsheet. Ask the agency for the questionnaire it was sent, filled in.",
    },
    "collect.too_large": {
        "es": "{file}: ocupa {size} MB, más que el límite de {limit} MB para un cuestionario (un cuestionario relleno ocupa menos de 1 MB). No se ha abierto. Pida al organismo que envíe solo el cuestionario que se le remitió, sin imágenes ni hojas añadidas.",
        "en": "{file}: it takes {size} MB, more than the {limit} MB limit for a questionnaire (a filled questionnaire takes under 1 MB). It was not opened. Ask the agency to send only the questionnaire it was sent, without added pictures or sheets.",
    },
    "collect.expands_too_much": {
        "es": "{file}: una vez descomprimido ocuparía {size} MB, más que el límite de {limit} MB (un archivo pequeño que se expande así puede ser un ataque, una «bomba zip»). No se ha abierto. Pida al organismo que guarde de nuevo el cuestionario que se le envió.",
        "en": '{file}: once unzipped it would take {size} MB, more than the {limit} MB limit (a small file that expands like this may be an attack, a "zip bomb"). It was not opened. Ask the agency to save the questionnaire it was sent again.',
    },
    "collect.xml_declarations": {
        "es": "{file}: su contenido ({part}) lleva declaraciones XML que ningún programa de hojas de cálculo escribe (DOCTYPE/ENTITY, usadas en ataques). No se ha abierto. Pida al organismo que guarde de nuevo el cuestionario con Excel o LibreOffice.",
        "en": "{file}: its content ({part}) holds XML declarations that no spreadsheet program writes (DOCTYPE/ENTITY, used in attacks). It was not opened. Ask the agency to save the questionnaire again with Excel or LibreOffice.",
    },
    "collect.too_many_rows": {
        "es": "{file}: la hoja «{sheet}» tiene más de {limit} filas (el cuestionario usa unos cientos). No se ha abierto. Pida al organismo que rellene el cuestionario que se le envió sin pegar tablas en él.",
        "en": '{file}: sheet "{sheet}" has more than {limit} rows (the questionnaire uses a few hundred). It was not opened. Ask the agency to fill in the questionnaire it was sent without pasting tables into it.',
    },
    "collect.internal_error": {
        "es": "{file}: error interno de rapporteur al leerlo ({detail}). No se ha archivado nada de este archivo; el resto se ha procesado. Comunique el error junto con el archivo.",
        "en": "{file}: internal error of rapporteur while reading it ({detail}). Nothing from this file was archived; the other files were processed. Please report the error with the file.",
    },
    "collect.sheets_changed": {
        "es": "{file}: se han cambiado las hojas del cuestionario ({changes}). Pida al organismo que copie sus datos en el cuestionario original, sin renombrar, borrar ni mover hojas.",
        "en": "{file}: the questionnaire's sheets were changed ({changes}). Ask the agency to copy its figures into the original questionnaire, without renaming, deleting or moving sheets.",
    },
    "collect.sheet_missing": {
        "es": "falta la hoja «{sheet}»",
        "en": 'sheet "{sheet}" is missing',
    },
    "collect.sheets_missing": {
        "es": "faltan {count} hojas: {sheets}",
        "en": "{count} sheets are missing: {sheets}",
    },
    "collect.unknown_version": {
        "es": "{file}: el cuestionario es de la versión {version}, que esta instalación de rapporteur no conoce. Actualice rapporteur para leerlo.",
        "en": "{file}: the questionnaire is of version {version}, which this installation of rapporteur does not know. Update rapporteur to read it.",
    },
    "collect.sheets_reordered": {
        "es": "hojas en otro orden: {found}",
        "en": "sheets in another order: {found}",
    },
    "collect.cells_moved": {
        "es": "{file}: se han insertado o borrado filas o columnas: la casilla «{label}» estaba en {expected} y ahora está en {found}. Pida al organismo que copie sus datos en el cuestionario original, sin insertar ni borrar filas.",
        "en": '{file}: rows or columns were inserted or deleted: the cell for "{label}" was at {expected} and is now at {found}. Ask the agency to copy its figures into the original questionnaire, without inserting or deleting rows.',
    },
    "collect.not_questionnaire": {
        "es": "{file}: es una hoja de cálculo, pero no uno de nuestros cuestionarios (no lleva sus datos de identificación). Pida al organismo que rellene el cuestionario que se le envió.",
        "en": "{file}: it is a spreadsheet but not one of our questionnaires (it lacks their identification). Ask the agency to fill in the questionnaire it was sent.",
    },
    "collect.tampered_known": {
        "es": "{file}: los datos de identificación del cuestionario se han modificado ({changes}). No se archiva; pida al organismo que use el cuestionario que se le envió.",
        "en": "{file}: the questionnaire's identification was edited ({changes}). It is not archived; ask the agency to use the questionnaire it was sent.",
    },
    "collect.tampered": {
        "es": "{file}: los datos de identificación del cuestionario se han modificado o falta su firma. No se archiva; pida al organismo que use el cuestionario que se le envió.",
        "en": "{file}: the questionnaire's identification was edited or its signature is missing. It is not archived; ask the agency to use the questionnaire it was sent.",
    },
    "collect.unknown_agency": {
        "es": "{file}: el organismo «{agency}» no está en el registro.",
        "en": "{file}: the agency '{agency}' is not in the registry.",
    },
    "collect.other_round": {
        "es": "{file}: es el cuestionario de la ronda {found}, no de la ronda {wanted} que se está recogiendo.",
        "en": "{file}: it is the questionnaire of round {found}, not of round {wanted} being collected.",
    },
    "collect.not_issued": {
        "es": "{file}: no consta que se emitiera el cuestionario de la ronda {round} a {agency}.",
        "en": "{file}: no questionnaire of round {round} was issued to {agency}.",
    },
    "collect.layout_changed": {
        "es": "{file}: se ha cambiado la estructura del cuestionario (hojas o filas añadidas, borradas o movidas; p. ej. {names}). Pida al organismo que copie sus datos en el cuestionario original.",
        "en": "{file}: the questionnaire's layout was changed (sheets or rows added, deleted or moved; e.g. {names}). Ask the agency to copy its figures into the original questionnaire.",
    },
    "collect.rival_files": {
        "es": "{file}: hay más de un archivo distinto de {agency} para la ronda {round} ({files}); no se archiva ninguno. Recoja solo el correcto.",
        "en": "{file}: there is more than one different file of {agency} for round {round} ({files}); none is archived. Collect only the right one.",
    },
    "collect.empty_folder": {
        "es": "{file}: la carpeta no contiene ninguna hoja de cálculo (.xlsx).",
        "en": "{file}: the folder holds no spreadsheet (.xlsx).",
    },
    "collect.skipped": {
        "es": "No se han leído {count} archivo(s) de las carpetas indicadas porque no son hojas de cálculo: {files}.",
        "en": "{count} file(s) in the folders given were not read because they are not spreadsheets: {files}.",
    },
    "collect.old_round": {
        "es": "{file}: es el cuestionario de la ronda {found}, anterior a la ronda en curso ({newest}). No se archiva. Si es una corrección tardía de la ronda {found}, recójalo con --round {found}.",
        "en": "{file}: it is the questionnaire of round {found}, earlier than the current round ({newest}). It is not archived. If it is a late correction of round {found}, collect it with --round {found}.",
    },
    "collect.late_correction": {
        "es": "{file}: corrección tardía de la ronda {found}, recogida con --round cuando la ronda en curso es {newest}.",
        "en": "{file}: late correction of round {found}, collected with --round while the current round is {newest}.",
    },
    "collect.superseded": {
        "es": "{file}: es el cuestionario nº {old} de {agency} para la ronda {round}, sustituido el {date} por el nº {new}. No se archiva. Pida al organismo que rellene el último cuestionario que se le envió.",
        "en": "{file}: it is questionnaire no. {old} of {agency} for round {round}, replaced on {date} by no. {new}. It is not archived. Ask the agency to fill in the last questionnaire it was sent.",
    },
    "collect.nothing_answered": {
        "es": "{file}: el cuestionario está sin rellenar: no responde nada más que los datos de contacto. No se cuenta como respuesta.",
        "en": "{file}: the questionnaire was not filled in: it answers nothing but the contact details. It does not count as a return.",
    },
    "collect.stale": {
        "es": "{file}: es la versión {older} de la respuesta de {agency}, ya archivada; la versión {latest} es posterior. No se archiva de nuevo: desharía la corrección. Si de verdad hay que volver a ella, use «rapporteur archive revert».",
        "en": "{file}: it is version {older} of the return of {agency}, already archived; version {latest} is later. It is not archived again: it would undo the correction. If it really must be brought back, use 'rapporteur archive revert'.",
    },
    "collect.label_changed": {
        "es": "{file}: se ha cambiado el texto del cuestionario: decía «{expected}» y ahora dice «{found}». No se archiva: cambiar una etiqueta o una fórmula cambia lo que significan las cifras, y si se han movido filas las cifras se leerían donde no son. Pida al organismo que copie sus datos en el cuestionario original.",
        "en": "{file}: the questionnaire's text was changed: it said '{expected}' and now says '{found}'. It is not archived: changing a label or a formula changes what the figures mean, and if rows were moved the figures would be read where they are not. Ask the agency to copy its figures into the original questionnaire.",
    },
    "collect.note_typed": {
        "es": "{file}: se ha escrito «{text}» fuera de las casillas de respuesta. La respuesta se acepta, pero esa nota no pasa al archivo histórico: si aclara una cifra, téngala en cuenta o pida al organismo que la escriba en las observaciones.",
        "en": "{file}: '{text}' was typed outside the answer cells. The return is accepted, but that note does not go into the archive: if it explains a figure, take it into account or ask the agency to write it in the remarks.",
    },
    "collect.extra_sheet": {
        "es": "{file}: se ha añadido la hoja «{sheet}» ({contents}). Su contenido no se archiva; léalo por si aclara alguna respuesta.",
        "en": "{file}: the sheet '{sheet}' was added ({contents}). Its content is not archived; read it in case it explains an answer.",
    },
    "collect.merged_input": {
        "es": "{file}: se han combinado celdas sobre una casilla de respuesta. No se archiva; pida al organismo que no combine celdas.",
        "en": "{file}: cells were merged over an answer cell. It is not archived; ask the agency not to merge cells.",
    },
    "collect.more_differences": {
        "es": "{file}: y {count} diferencias más con el cuestionario enviado.",
        "en": "{file}: and {count} more differences from the questionnaire sent.",
    },
    "collect.no_reference": {
        "es": "{file}: no se ha podido comparar con el cuestionario enviado ({path} falta o ha cambiado): no se han buscado etiquetas cambiadas ni notas fuera de las casillas.",
        "en": "{file}: it could not be compared with the questionnaire sent ({path} is missing or changed): changed labels and notes outside the cells were not looked for.",
    },
    "collect.where": {"es": " hoja «{sheet}», celda {cell}", "en": " sheet '{sheet}', cell {cell}"},
    "collect.decision_accepted": {"es": "aceptada", "en": "accepted"},
    "collect.decision_unchanged": {"es": "sin cambios", "en": "unchanged"},
    "collect.decision_rejected": {"es": "rechazada", "en": "rejected"},
    "collect.title": {"es": "Respuestas recogidas", "en": "Returns collected"},
    "collect.totals": {
        "es": "{files} archivo(s): {accepted} aceptado(s), {unchanged} sin cambios, {rejected} rechazado(s).",
        "en": "{files} file(s): {accepted} accepted, {unchanged} unchanged, {rejected} rejected.",
    },
    "collect.dry_run": {
        "es": "Prueba (--dry-run): no se ha escrito nada en el archivo histórico.",
        "en": "Dry run (--dry-run): nothing was written to the archive.",
    },
    "collect.problems_of": {
        "es": "Problemas de {file}:",
        "en": "Problems of {file}:",
    },
    "collect.feedback_written": {
        "es": "Devolución para el organismo: {path}",
        "en": "Feedback for the agency: {path}",
    },
    "feedback.sheet": {"es": "Problemas", "en": "Problems"},
    "feedback.error": {"es": "Error", "en": "Error"},
    "feedback.warning": {"es": "Aviso", "en": "Warning"},
    "feedback.summary": {
        "es": "{agency}, ronda {round}: {errors} error(es) y {warnings} aviso(s)",
        "en": "{agency}, round {round}: {errors} error(s) and {warnings} warning(s)",
    },
    "feedback.instructions": {
        "es": "Corrija las celdas marcadas en rojo (errores: la respuesta no se ha podido archivar) y revise las amarillas (avisos). Cada una lleva un comentario. Después devuelva este archivo.",
        "en": "Correct the cells marked red (errors: the return could not be archived) and check the yellow ones (warnings). Each carries a comment. Then send this file back.",
    },
    "feedback.headings": {
        "es": "Tipo|Hoja|Celda|Pregunta|Problema",
        "en": "Kind|Sheet|Cell|Question|Problem",
    },
    # Status and reminders
    "status.no_rounds": {
        "es": "El archivo histórico no tiene todavía ninguna ronda; emita una con «rapporteur issue --round AAAA-MM».",
        "en": "The archive has no round yet; issue one with 'rapporteur issue --round YYYY-MM'.",
    },
    "status.title": {
        "es": "Ronda {round} (plazo {deadline}): {received} de {expected} respuestas recibidas",
        "en": "Round {round} (deadline {deadline}): {received} of {expected} returns received",
    },
    "status.by_region": {"es": "Por región", "en": "By region"},
    "status.by_kind": {"es": "Por tipo de organismo", "en": "By kind of agency"},
    "status.national": {"es": "Organismos nacionales", "en": "National bodies"},
    "state.issued": {"es": "sin respuesta", "en": "no return"},
    "state.rejected": {"es": "rechazada", "en": "rejected"},
    "state.empty": {"es": "vacía", "en": "empty"},
    "state.superseded": {"es": "cuestionario sustituido", "en": "superseded questionnaire"},
    "state.accepted": {"es": "aceptada", "en": "accepted"},
    "state.warnings": {"es": "aceptada con avisos", "en": "accepted with warnings"},
    "state.resent_later": {
        "es": "; reenvío de una versión anterior rechazado el {date}",
        "en": "; an earlier version sent again, refused on {date}",
    },
    "state.refused_later": {
        "es": "; corrección rechazada el {date}",
        "en": "; correction rejected on {date}",
    },
    "status.yes": {"es": "sí", "en": "yes"},
    "status.no": {"es": "no", "en": "no"},
    "remind.subject": {
        "es": "Recordatorio: cuestionario de la ronda {round} del Relator Nacional sobre trata",
        "en": "Reminder: questionnaire of round {round} of the National Rapporteur on trafficking",
    },
    "remind.body": {
        "es": "Estimados/as responsables de {agency}:\n\nNo hemos recibido todavía su respuesta al cuestionario de la ronda {round}, sobre el periodo del {start} al {end}. El plazo de respuesta es el {deadline}.\n\nLes adjuntamos de nuevo el cuestionario. Rellénenlo en Excel o LibreOffice, guárdenlo en formato .xlsx sin cambiar su estructura y devuélvanlo respondiendo a este mensaje. Recuerden: dejen en blanco lo que no conozcan y escriban 0 cuando sepan que no hubo ninguno.\n\nPara cualquier duda pueden dirigirse a {contact} ({email}).\n\nAtentamente,\n{office}\n",
        "en": "Dear colleagues at {agency},\n\nWe have not yet received your return to the questionnaire of round {round}, on the period {start} to {end}. It is due on {deadline}.\n\nPlease find the questionnaire attached again. Fill it in Excel or LibreOffice, save it as .xlsx without changing its structure and send it back by replying to this message. Remember: leave blank what you do not know and type 0 when you know there were none.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
    },
    "remind.body_rejected": {
        "es": "Estimados/as responsables de {agency}:\n\nHemos recibido su cuestionario de la ronda {round} (archivo {file}, del {received}), pero no se ha podido archivar. Los principales problemas son:\n\n{problems}\n\n{marked} Corríjalo y devuélvanlo respondiendo a este mensaje; el plazo es el {deadline}.\n\nPara cualquier duda pueden dirigirse a {contact} ({email}).\n\nAtentamente,\n{office}\n",
        "en": "Dear colleagues at {agency},\n\nWe received your questionnaire of round {round} (file {file}, of {received}), but it could not be archived. The main problems are:\n\n{problems}\n\n{marked} Please correct it and send it back by replying to this message; it is due on {deadline}.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
    },
    "remind.body_correction": {
        "es": "Estimados/as responsables de {agency}:\n\nSu respuesta a la ronda {round} sigue archivada, pero la corrección que nos enviaron (archivo {file}, del {received}) no se ha podido archivar. Los principales problemas son:\n\n{problems}\n\n{marked} Si quieren que la corrección cuente, corríjanla y devuélvanla respondiendo a este mensaje.\n\nPara cualquier duda pueden dirigirse a {contact} ({email}).\n\nAtentamente,\n{office}\n",
        "en": "Dear colleagues at {agency},\n\nYour return to round {round} is still archived, but the correction you sent (file {file}, of {received}) could not be archived. The main problems are:\n\n{problems}\n\n{marked} If the correction is to count, please correct it and send it back by replying to this message.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
    },
    "remind.body_superseded": {
        "es": "Estimados/as responsables de {agency}:\n\nEl archivo que nos enviaron para la ronda {round} ({file}, del {received}) es un cuestionario que se sustituyó después por otro, y no se puede archivar:\n\n{problems}\n\nLes adjuntamos el cuestionario vigente. Rellénenlo y devuélvanlo respondiendo a este mensaje; el plazo es el {deadline}.\n\nPara cualquier duda pueden dirigirse a {contact} ({email}).\n\nAtentamente,\n{office}\n",
        "en": "Dear colleagues at {agency},\n\nThe file you sent for round {round} ({file}, of {received}) is a questionnaire that was later replaced by another, and cannot be archived:\n\n{problems}\n\nPlease find the current questionnaire attached. Fill it in and send it back by replying to this message; it is due on {deadline}.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
    },
    "remind.marked": {
        "es": "Les adjuntamos su propio archivo con las casillas a corregir marcadas y comentadas.",
        "en": "Please find your own file attached, with the cells to correct marked and commented.",
    },
    "remind.again": {
        "es": "Les adjuntamos de nuevo el cuestionario.",
        "en": "Please find the questionnaire attached again.",
    },
    "remind.where": {
        "es": "hoja «{sheet}», celda {cell}: ",
        "en": "sheet '{sheet}', cell {cell}: ",
    },
    "remind.more": {"es": "- y {count} más.", "en": "- and {count} more."},
    "remind.reason_issued": {"es": "sin respuesta", "en": "no return"},
    "remind.reason_rejected": {"es": "rechazada", "en": "rejected"},
    "remind.reason_empty": {"es": "vacía", "en": "empty"},
    "remind.reason_superseded": {"es": "cuestionario sustituido", "en": "superseded questionnaire"},
    "remind.reason_correction": {"es": "corrección rechazada", "en": "correction rejected"},
    "remind.already": {
        "es": "ya redactado el {date} ({file}); --again para otro",
        "en": "already drafted on {date} ({file}); --again for another",
    },
    "remind.written": {
        "es": "{count} borradores de correo escritos en {folder} (no se ha enviado nada).",
        "en": "{count} e-mail drafts written to {folder} (nothing was sent).",
    },
    "remind.none": {
        "es": "Todos los organismos han respondido: no hace falta ningún recordatorio.",
        "en": "Every agency has returned: no reminder is needed.",
    },
    # Summary
    "summary.unknown_section": {
        "es": "No hay indicadores de la sección «{sections}»; las secciones son: {known}.",
        "en": "There are no indicators of section '{sections}'; the sections are: {known}.",
    },
    "summary.note_kinds": {
        "es": "Cada columna cuenta un solo tipo de organismo (entre corchetes): las cifras de tipos distintos miden personas que se solapan y no se suman.",
        "en": "Each column counts one kind of agency (in brackets): figures of different kinds measure overlapping people and are not added.",
    },
    "summary.note_base": {
        "es": "Porcentajes calculados sobre {base} personas.",
        "en": "Percentages computed on {base} persons.",
    },
    "summary.note_resources": {
        "es": "Las comunidades autónomas (CCAA) comunican sus propios recursos; los organismos nacionales, los de su red por comunidad. No se suman.",
        "en": "Autonomous communities (CCAA) report their own resources; national bodies, those of their network by region. They are not added.",
    },
    "summary.note_audiences": {
        "es": "Una campaña puede dirigirse a varios públicos.",
        "en": "A campaign may address several audiences.",
    },
    "summary.note_protocols": {
        "es": "{count} de las {regions} comunidades y ciudades que han respondido tienen un protocolo vigente (YES = sí, NO = no, IN_PREPARATION = en preparación).",
        "en": "{count} of the {regions} communities and cities that returned have a protocol in force (YES, NO, IN_PREPARATION).",
    },
    "summary.note_trend": {
        "es": "Las rondas de diciembre dan el primer semestre (provisional); las de junio, el año anterior completo (definitivo).",
        "en": "December rounds give the first half-year (provisional); June rounds, the whole previous year (final).",
    },
    "summary.title": {
        "es": "Resumen de la ronda {round}{compare}",
        "en": "Summary of round {round}{compare}",
    },
    "summary.compared": {"es": ", comparada con {round}", "en": ", compared with {round}"},
    "summary.written": {"es": "Resumen escrito en {path}.", "en": "Summary written to {path}."},
    "publish.small": {
        "es": "«{mark}»: de 1 a {below} personas.",
        "en": "'{mark}': 1 to {below} persons.",
    },
    "publish.contributors": {
        "es": "Se ocultan («c») las cifras que aportan menos de {minimum} organismos de un tipo cuyas cifras por organismo no se publican ({kinds}).",
        "en": "Figures given by fewer than {minimum} agencies of a kind whose per-agency figures are not published ({kinds}) are hidden ('c').",
    },
    "publish.hidden": {
        "es": "«c»: cifra oculta ({count} en esta tabla). Se eligen de modo que ninguna cifra oculta pueda deducirse, ni acotarse más de lo que dice «<N», con las publicadas en esta y en las demás tablas de la publicación. Una «c» que cuenta personas nunca es menor que el umbral.",
        "en": "'c': hidden figure ({count} in this table). They are chosen so that no hidden figure can be worked out, or narrowed beyond what '<N' says, from those printed in this table and the others of the publication. A 'c' that counts persons is never below the threshold.",
    },
    "publish.fallback": {
        "es": "No se pudo elegir en {seconds} s qué ocultar en esta tabla y las vinculadas: se ocultan todas sus cifras de personas distintas de 0.",
        "en": "What to hide in this table and those linked to it could not be chosen within {seconds} s: every figure about persons other than 0 is hidden.",
    },
    "publish.withheld": {
        "es": "«x»: cifra retirada; ni ocultando todas las demás se evitaba que pudiera deducirse.",
        "en": "'x': withdrawn figure; not even hiding every other figure kept it from being worked out.",
    },
    "publish.percent": {
        "es": "Los porcentajes solo se publican junto a una cifra publicada y sobre una base publicada de al menos {base} personas.",
        "en": "Percentages are published only beside a published figure and over a published base of at least {base} persons.",
    },
    "publish.nationalities": {
        "es": "Las nacionalidades con menos de {threshold} personas se agrupan en «Otras nacionalidades».",
        "en": "Nationalities with fewer than {threshold} persons are folded into 'Other nationalities'.",
    },
    "publish.no_free_text": {
        "es": "Sin texto libre: las listas de campañas y acciones formativas no se publican.",
        "en": "No free text: the lists of campaigns and training actions are not published.",
    },
    "publish.no_agency_rows": {
        "es": "Sin cifras por organismo de los tipos {kinds}: sus filas no se publican.",
        "en": "No per-agency figures of the kinds {kinds}: their rows are not published.",
    },
    "audit.needs_publish": {
        "es": "--audit ataca la publicación: úselo con --publish.",
        "en": "--audit attacks the publication: use it with --publish.",
    },
    "audit.formats": {
        "es": "La auditoría se muestra como tabla, json o csv (--format table|json|csv).",
        "en": "The audit is shown as a table, json or csv (--format table|json|csv).",
    },
    "audit.refused": {
        "es": "La publicación no supera su auditoría ({short} cifra(s) oculta(s) por debajo de su protección): no se ha mostrado ni escrito nada. «rapporteur summary --publish --audit» dice cuáles.",
        "en": "The publication fails its audit ({short} hidden figure(s) short of their protection): nothing was shown or written. 'rapporteur summary --publish --audit' says which.",
    },
    "audit.title": {
        "es": "Auditoría de la publicación de la ronda {round}: {hidden} cifras ocultas, {short} por debajo de su protección",
        "en": "Audit of the publication of round {round}: {hidden} hidden figures, {short} short of their protection",
    },
    "audit.passed": {
        "es": "Ninguna cifra oculta puede deducirse ni acotarse más de lo que permiten las reglas de publicación.",
        "en": "No hidden figure can be worked out or narrowed beyond what the publication rules allow.",
    },
    "audit.failed": {
        "es": "Hay cifras ocultas que un lector podría deducir o acotar más de lo permitido: la publicación no se puede difundir.",
        "en": "Some hidden figures could be worked out or narrowed beyond what is allowed: the publication cannot be released.",
    },
    "audit.heading.cell": {"es": "Fila · columna", "en": "Row · column"},
    "audit.heading.shown": {"es": "Publicada", "en": "Printed"},
    "audit.heading.why": {"es": "Motivo", "en": "Why"},
    "audit.heading.reader": {"es": "Un lector deduce", "en": "A reader derives"},
    "audit.heading.needed": {"es": "Se exige", "en": "Required"},
    "audit.reason.small": {"es": "pocas personas", "en": "few persons"},
    "audit.reason.contributors": {"es": "pocos organismos", "en": "few agencies"},
    "audit.reason.secondary": {"es": "protege a otras", "en": "protects others"},
    "audit.and": {"es": " y ", "en": " and "},
    "audit.not_exact": {"es": "no exacto", "en": "not exact"},
    "audit.line": {
        "es": "{why}: un lector deduce {reader}; se exige {needed}",
        "en": "{why}: a reader derives {reader}; required {needed}",
    },
    "audit.inconsistent": {
        "es": "{where}: la misma cifra se publica de formas distintas ({texts}).",
        "en": "{where}: the same figure is published in different ways ({texts}).",
    },
    "audit.contradiction": {
        "es": "{where} y las cifras vinculadas: lo publicado no puede ser cierto a la vez.",
        "en": "{where} and the figures linked to it: what is published cannot all be true.",
    },
    "audit.changed": {
        "es": "{where}: se publica {printed}, pero la cifra archivada es {value}.",
        "en": "{where}: {printed} is published, but the archived figure is {value}.",
    },
    "audit.sensitive_printed": {
        "es": "{where}: se publica una cifra que las reglas de publicación mandan ocultar.",
        "en": "{where}: a figure the publication rules require hidden is printed.",
    },
    "audit.untrue_mark": {
        "es": "{where}: la marca «{mark}» no corresponde a la cifra.",
        "en": "{where}: the mark '{mark}' does not fit the figure.",
    },
    "audit.free_text": {
        "es": "{table}: una tabla de texto libre no puede publicarse.",
        "en": "{table}: a table of free text cannot be published.",
    },
    "audit.agency_row": {
        "es": "{table}: la fila de {row} da las cifras de un organismo confidencial.",
        "en": "{table}: the row of {row} gives the figures of a confidential agency.",
    },
    "audit.percentage": {
        "es": "{table}: el porcentaje de {row} acompaña a una cifra o una base no publicadas, o a una base pequeña.",
        "en": "{table}: the percentage of {row} stands beside a figure or base not published, or a small base.",
    },
    "summary.one_grouping": {
        "es": "Elija una sola agrupación: --by-region, --by-kind o --by-agency.",
        "en": "Choose one grouping: --by-region, --by-kind or --by-agency.",
    },
    "summary.xlsx_needs_output": {
        "es": "Indique el archivo con -o, por ejemplo: -o informe.xlsx",
        "en": "Name the file with -o, for example: -o report.xlsx",
    },
    # Reading cells
    "cell.text_in_number": {
        "es": "Se encontró el texto «{found}» donde se pide un número. Escriba solo la cifra, sin texto; déjela en blanco si no la conoce.",
        "en": "Found the text '{found}' where a number is asked. Type only the figure, without text; leave it blank if unknown.",
    },
    "cell.number_as_text": {
        "es": "El número {found} estaba guardado como texto; se ha tomado como {found}.",
        "en": "The number {found} was stored as text; it was taken as {found}.",
    },
    "cell.decimal_comma": {
        "es": "Se encontró el texto «{found}»: un número con coma decimal escrito como texto (configuración regional en inglés). Escríbalo como número.",
        "en": "Found the text '{found}': a number with a decimal comma typed as text (English regional settings). Type it as a number.",
    },
    "cell.date_as_text": {
        "es": "Se encontró el texto «{found}» donde se pide una fecha. Escríbala como fecha (día/mes/año) para que la hoja la reconozca.",
        "en": "Found the text '{found}' where a date is asked. Type it as a date (day/month/year) so that the sheet recognises it.",
    },
    "cell.not_a_date": {
        "es": "Se encontró {found} donde se pide una fecha (día/mes/año).",
        "en": "Found {found} where a date (day/month/year) is asked.",
    },
    "cell.date_with_time": {
        "es": "Se encontró una fecha con hora ({found}); se pide solo la fecha.",
        "en": "Found a date with a time ({found}); only the date is asked.",
    },
    "cell.date_in_number": {
        "es": "Se encontró una fecha ({found}) donde se pide un número.",
        "en": "Found a date ({found}) where a number is asked.",
    },
    "cell.true": {"es": "VERDADERO", "en": "TRUE"},
    "cell.false": {"es": "FALSO", "en": "FALSE"},
    "cell.boolean": {
        "es": "Se encontró un valor lógico ({found}) donde se pide un número o un texto.",
        "en": "Found a logical value ({found}) where a number or a text is asked.",
    },
    "cell.error_value": {
        "es": "La celda muestra un error ({found}). Escriba el dato en lugar de una fórmula.",
        "en": "The cell shows an error ({found}). Type the figure instead of a formula.",
    },
    "cell.formula_in_input": {
        "es": "La celda tiene una fórmula ({formula}) en lugar de un dato escrito; se archiva el valor que muestra. Compruebe que es el dato que el organismo quería dar.",
        "en": "The cell holds a formula ({formula}) instead of a typed figure; the value it shows is archived. Check that it is the figure the agency meant to give.",
    },
    "cell.formula_without_value": {
        "es": "La celda tiene una fórmula ({formula}) sin valor calculado. Escriba el dato en lugar de la fórmula.",
        "en": "The cell holds a formula ({formula}) with no computed value. Type the figure instead of the formula.",
    },
    "cell.bad_mark": {
        "es": "Se encontró {found}; para marcar esta opción escriba {mark}, o deje la celda en blanco.",
        "en": "Found {found}; to mark this option type {mark}, or leave the cell blank.",
    },
    # Definition
    "definition.broken": {
        "es": "La definición del cuestionario {file} tiene {count} error(es).",
        "en": "The questionnaire definition {file} has {count} error(s).",
    },
    "definition.invalid": {
        "es": "{file}, línea {line}: {where}: {detail}",
        "en": "{file}, line {line}: {where}: {detail}",
    },
    "relation.more": {"es": "más que", "en": "more than"},
    "relation.less": {"es": "menos que", "en": "less than"},
    "relation.total": {"es": "el total", "en": "the total"},
    "value.out_of_range": {
        "es": "{found} está fuera del intervalo permitido ({minimum} a {maximum}).",
        "en": "{found} is outside the allowed range ({minimum} to {maximum}).",
    },
    "value.not_whole_number": {
        "es": "Se esperaba un número entero y se encontró {found}.",
        "en": "A whole number was expected; found {found}.",
    },
    "value.not_number": {
        "es": "Se esperaba un número y se encontró {found}.",
        "en": "A number was expected; found {found}.",
    },
    "value.too_many_decimals": {
        "es": "Se esperaban como máximo dos decimales y se encontró {found}.",
        "en": "At most two decimals were expected; found {found}.",
    },
    "value.unknown_code": {
        "es": "«{found}» no es uno de los valores de la lista «{codelist}».",
        "en": "'{found}' is not one of the values of the list '{codelist}'.",
    },
    "value.too_long": {
        "es": "El texto tiene {length} caracteres; el máximo es {maximum}.",
        "en": "The text has {length} characters; the maximum is {maximum}.",
    },
    "value.bad_format": {
        "es": "«{found}» no tiene el formato esperado ({expected}).",
        "en": "'{found}' does not have the expected form ({expected}).",
    },
    "value.not_date": {
        "es": "Se esperaba una fecha y se encontró {found}.",
        "en": "A date was expected; found {found}.",
    },
    "value.not_text": {
        "es": "Se esperaba un texto y se encontró {found}.",
        "en": "A text was expected; found {found}.",
    },
    "value.too_many_rows": {
        "es": "Hay {count} filas; el máximo es {maximum}.",
        "en": "There are {count} rows; the maximum is {maximum}.",
    },
    "value.not_asked": {
        "es": "Este dato no se pregunta a los organismos de tipo {kind}.",
        "en": "This figure is not asked of agencies of kind {kind}.",
    },
    "value.missing_code": {
        "es": "La fila tiene cifras pero no indica el código.",
        "en": "The row has figures but no code.",
    },
    "value.invalid": {
        "es": "Valor no válido: {detail}.",
        "en": "Invalid value: {detail}.",
    },
    "definition.unknown_version": {
        "es": "No existe la versión {version} del cuestionario; hay: {known}.",
        "en": "There is no questionnaire version {version}; there are: {known}.",
    },
}


@dataclass(frozen=True)
class Message:
    """A sentence for the user, not yet in any language.

    Its texts come from the catalogue by `key`, or, for sentences that live in the
    questionnaire definition (the messages of its rules), from `texts`.
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    texts: Mapping[Language, str] | None = None

    def render(self, language: Language) -> str:
        params = {
            name: value.render(language) if isinstance(value, (Message, Number)) else value
            for name, value in self.params.items()
        }
        template = self.texts[language] if self.texts else CATALOGUE[self.key][language]
        return template.format(**params)


def with_separators(text: str, language: Language) -> str:
    """A number written the English way (12,345.5), with the language's separators."""
    if language == "es":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


@dataclass(frozen=True)
class Number:
    """A figure in a sentence, written as each language writes it: 12.345,5 or 12,345.5."""

    value: int | float

    def render(self, language: Language) -> str:
        value = self.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
        if language == "es":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text


def message(key: str, /, **params: object) -> Message:
    if key not in CATALOGUE:
        raise KeyError(f"no message {key!r} in the catalogue")
    return Message(key, params)
