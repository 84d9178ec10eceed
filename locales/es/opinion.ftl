# La página de la opinión y el texto fijo del documento (lo que escribió el
# especialista se muestra tal como lo escribió, en inglés).

opinion-title = Segunda opinión
opinion-heading-html = Segunda opinión para <bdi>{ $name }</bdi>
opinion-print = Imprimir o guardar como PDF
opinion-kind = Segunda opinión por escrito · { $institution }
opinion-written = La opinión escrita
opinion-in-english = El especialista escribe la opinión en inglés. El médico del equipo que le llame para repasarla con usted puede conseguir un intérprete para la llamada, sin costo.
opinion-case = Caso
opinion-specialist = Especialista
opinion-institution = Institución
opinion-signed = Firmada
opinion-not-signed = Todavía sin firmar (borrador)
opinion-records-reviewed = Expedientes médicos revisados
opinion-none-listed = No se indicó ninguno.
opinion-unavailable = (no disponibles: { $why })
opinion-no-files = (sin archivos)
opinion-conclusion = La conclusión del especialista
opinion-no-outcome = Todavía no se eligió una conclusión.
opinion-answers = Respuestas a sus preguntas
opinion-question = Pregunta { $number }:
opinion-not-answered = Todavía sin respuesta.
opinion-summary = Resumen
opinion-recommendations = Recomendaciones
opinion-pcp-notes = Notas para el médico de cabecera del niño
opinion-written-by-signed-html = Escrita por <bdi>{ $name }</bdi>, firmada el { $when }.
opinion-written-by-draft-html = Escrita por <bdi>{ $name }</bdi> (borrador, sin firmar).

opinion-what-now = Qué hacer ahora
opinion-now-pcp = Haga una cita con el médico de cabecera de su hijo para revisar las recomendaciones y decidir juntos cuál es el mejor camino.
opinion-now-call = Un médico de { -partner } le llamará para repasar la opinión y responder preguntas médicas generales.
opinion-now-interpreter = La opinión está escrita en inglés. Su equipo de atención puede conseguir un intérprete para la llamada: pídaselo a su coordinadora o coordinador de atención, o llame al { -phone }.
opinion-now-come-html = Si decide venir a { -hospital } para el tratamiento, es probable que su hijo vea al mismo médico que escribió esta opinión. Llame a la clínica para confirmar que este médico sigue siendo el especialista indicado y que está disponible: <a href="{ -appointments-tel }">{ -appointments-phone }</a>.

share-title = Compártala con el médico de su hijo
share-intro = Cree un enlace para el médico de su hijo. Funciona durante 14 días, solo se abre con la fecha de nacimiento de su hijo, muestra la opinión sin poder cambiarla, y usted lo puede retirar en cualquier momento. Aquí se indica cada vez que se abre.
share-new-link-html = <strong>El enlace para el médico de su hijo</strong> (cópielo ahora; no se vuelve a mostrar)
share-give-dob = Dé al médico la fecha de nacimiento de su hijo por separado, por ejemplo por teléfono.
share-made = Enlace creado el { $when }
share-made-hidden = creado el { $when }
share-works-until = funciona hasta el { $when }
share-expired = venció el { $when }
share-withdrawn = retirado el { $when }
share-not-opened = Todavía no se ha abierto.
share-opened = { $count ->
    [one] Se abrió 1 vez:
   *[other] Se abrió { $count } veces:
}
share-withdraw = Retirar este enlace
share-make = Crear un enlace para el médico de mi hijo

follow-up-intro = Si algo de la opinión no está claro, puede hacer hasta 3 preguntas de aclaración, cada una sobre una de sus preguntas originales. Deben aclarar lo que leyó; no se pueden agregar preguntas nuevas. Responde el médico de { -partner }, o se lo pregunta al especialista, cuya respuesta no está garantizada.
follow-up-left-html = <strong>Le quedan { $left } de 3.</strong> El plazo termina el { $when }.
follow-up-which = ¿Qué pregunta suya aclara?
follow-up-choose = Elija una pregunta
follow-up-label = Su pregunta de aclaración
follow-up-label-in-error = La pregunta de aclaración
follow-up-hint = Hasta 2,000 caracteres.
follow-up-send = Enviar la pregunta
follow-up-all-used = Ya usó sus 3 preguntas de aclaración para este caso.
follow-up-what-you-wrote = Lo que escribió:
follow-up-closed = El plazo para preguntas de aclaración terminó el { $when }.
follow-up-missing = Escriba su pregunta de aclaración.
follow-up-choose-question = Elija qué pregunta suya aclara.
follow-up-window-closed = El plazo para preguntas de aclaración de este caso terminó: se pueden hacer en los 5 días hábiles siguientes a la opinión.
follow-up-sent = Se envió su pregunta. Le enviaremos un correo electrónico cuando haya una respuesta.

referral-title = Una consulta con el experto o una remisión
referral-intro = Nuestro equipo de atención le puede ayudar a organizar una consulta con el experto o una remisión.
referral-note = ¿Algo que debamos saber? (opcional)
referral-ask = Pedir ayuda con una consulta o remisión
referral-note-refused = No se envió nada: la nota puede tener como máximo 2,000 caracteres, en texto simple.
referral-sent-flash = Se envió su solicitud. El médico se comunicará con usted.
