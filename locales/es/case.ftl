# La página del caso: lo que sigue, el equipo de atención, cargos, después de
# la opinión, expedientes, preguntas, pagos, la cronología y la cancelación.

case-follow-on-to = Caso de seguimiento del caso { $number }.
case-next = Lo que sigue
case-continue = Continuar con el caso
case-questions = Sus preguntas
case-questions-cancelled = Este caso se canceló, así que sus preguntas y expedientes se quedan como estaban.
case-questions-frozen = Las preguntas y los expedientes no se pueden cambiar una vez que empezó la revisión del especialista.
case-questions-change = Cambiar las preguntas
case-new-info = ¿Tiene información nueva?
case-new-info-text = No se pueden agregar expedientes ni preguntas una vez que empezó la revisión. Si surge algo nuevo, puede abrir y pagar un caso nuevo. Pediremos el mismo especialista, pero no podemos garantizar que esté disponible.
case-new-info-open = Abrir un caso nuevo con la información nueva
case-payments = Pagos
case-payment-line = { $purpose }: { $amount }, pagado el { $when }
case-payment-refunded = reembolsado el { $when }
case-receipt = Recibo
case-timeline = Cronología

team-title = Su equipo de atención
team-not-yet = Cuando se acepte su caso, se le asignarán una coordinadora o coordinador de atención personal y un médico de { -partner }. Ellos serán sus contactos.
team-coordinator = Su coordinadora o coordinador de atención personal
team-clinician = Su médico del equipo
team-being-assigned = Se está asignando
team-what-they-do = Se encargan de los trámites, reúnen los expedientes médicos, responden sus preguntas y le llaman después de la opinión.
team-specialist = El especialista que revisa el caso
team-reach-html = Para comunicarse con ellos, <a href="/family/cases/{ $case }/messages">escriba a su equipo de atención</a> o llame a { -partner } al <a href="{ -phone-tel }">{ -phone }</a> (internacional <a href="{ -phone-intl-tel }">{ -phone-intl }</a>), { -hours }.
team-messages-link = { $unread ->
    [0] Mensajes con su equipo de atención
    [one] Mensajes con su equipo de atención (1 nuevo)
   *[other] Mensajes con su equipo de atención ({ $unread } nuevos)
}
team-seen-link = Quién ha visto el caso de su hijo

fees-title = Revisiones adicionales
fees-why = Motivo:
fees-optional = El especialista sugiere otra revisión. Es opcional: no se cobra nada a menos que usted pague.
fees-pay = Pagar { $amount }
fees-decline = Rechazar la revisión adicional

after-title = Después de la opinión
after-read = Leer, imprimir o compartir la segunda opinión
after-call = Su llamada de seguimiento
after-call-waiting = Todavía no está programada. El médico del equipo se comunicará con usted para acordarla.
after-call-scheduled = Programada para el { $when }.
after-call-done = Hecha: el médico del equipo le llamó el { $when }.
after-follow-ups = Preguntas de aclaración
after-follow-ups-none = No ha hecho ninguna.
after-about-question = Sobre la pregunta { $number }:
after-specialist-answered = El especialista respondió:
after-clinician-answered = El médico del equipo respondió:
after-escalated = Se pasó al especialista; no se garantiza una respuesta del especialista.
after-waiting = Esperando una respuesta.
after-referral = Consulta o remisión

records-progress = Expedientes médicos: { $done } de { $total } completos
records-checklist = Lista de expedientes médicos
records-where = Dónde
records-what = Qué
records-status = Estado
records-release = Autorización
records-translation-needed = ({ $language }: hace falta una traducción al inglés)
records-signed = Firmada el { $when }
records-not-signed = Sin firmar
records-sign = Firmar la autorización
records-add = Agregar un lugar con expedientes

needs-title = Lo que necesitamos de usted
needs-from = De { $facility }:
needs-asked = (pedido el { $when })
needs-translation = Los expedientes de { $facility } están en { $language }. Los expedientes médicos se deben entregar en inglés: por favor, pida que los traduzca un traductor médico calificado de su elección, o comuníquese con { -translation-service } para que le ayuden. Su familia organiza y paga la traducción; no forma parte de la tarifa del caso. Envíenos la traducción junto con el original.
needs-help-html = ¿No sabe cómo enviarlos? Su coordinadora o coordinador de atención le puede ayudar: llame al <a href="{ -phone-tel }">{ -phone }</a>.

next-declined = Se rechazó el pago: pruebe con otra tarjeta.
next-declined-link = Pagar con otra tarjeta
next-ready-html = Todo está listo. <a href="/family/cases/{ $case }/review">Revise y pague</a> para enviar el caso.
next-still-to-do = Falta esto antes de poder enviarlo:
next-missing-diagnosis = Describa el diagnóstico de su hijo
next-missing-phone = Dé un número de teléfono con su código de país, para la llamada del médico
next-missing-records = Agregue dónde están los expedientes médicos de su hijo
next-missing-release = Firme la autorización para { $facility }
next-missing-questions = Escriba al menos una pregunta para el especialista
next-missing-email = Confirme su correo electrónico con el enlace que le enviamos
next-submitted = Una coordinadora o coordinador de atención personal de { -partner } aceptará su caso en un día hábil.
next-collecting-named-html = <bdi>{ $name }</bdi>, su coordinadora o coordinador de atención personal, está reuniendo los expedientes médicos de su hijo: { $done } de { $total } completos. No tiene que hacer nada, a menos que se comuniquen con usted.
next-collecting = Su coordinadora o coordinador de atención personal está reuniendo los expedientes médicos de su hijo: { $done } de { $total } completos. No tiene que hacer nada, a menos que se comuniquen con usted.
next-ready-for-review = Ya llegaron todos los expedientes médicos. Su coordinadora o coordinador de atención está eligiendo al especialista más indicado para revisarlos.
next-in-review = El especialista está revisando el caso. Le enviaremos un correo electrónico cuando la opinión esté lista.
next-opinion-ready = La segunda opinión de su hijo está lista.
next-opinion-read = Leer la segunda opinión
next-call-waiting = Un médico de { -partner } le llamará para repasarla con usted.
next-call-scheduled = Su llamada de seguimiento con el médico del equipo está programada para el { $when }.
next-call-done = Su llamada de seguimiento con el médico del equipo fue el { $when }.
next-closed-html = Este caso está cerrado. Todavía puede <a href="/family/cases/{ $case }/opinion">leer e imprimir la segunda opinión</a>.
next-cancelled = Este caso se canceló.
next-release-needed-html = <strong>Firme la autorización para { $facility }</strong>, para que su coordinadora o coordinador de atención pueda pedir esos expedientes.
next-fee-waiting = Su coordinadora o coordinador de atención le preguntó por una revisión adicional.
next-fee-decide = Decidir si seguir adelante
next-unread = { $count ->
    [one] Tiene un mensaje nuevo de su equipo de atención.
   *[other] Tiene { $count } mensajes nuevos de su equipo de atención.
}
next-unread-read = { $count ->
    [one] Leerlo
   *[other] Leerlos
}
next-expected-after-records = La opinión escrita suele llegar de 5 a 7 días hábiles después de que llegan todos los expedientes médicos.
next-expected-between-html = Se espera la opinión entre el <strong>{ $from }</strong> y el <strong>{ $to }</strong>.
next-expected-late = Se esperaba la opinión a más tardar el { $by } y está tardando más. Su coordinadora o coordinador de atención se comunicará con usted; también puede llamar al { -phone }.
next-expected-delivered = La opinión se entregó el { $on }.

timeline-draft = Usted abrió el caso.
timeline-submitted = Se envió el caso y se pagó la tarifa.
timeline-collecting-records = Una coordinadora o coordinador de atención aceptó el caso y empezó a reunir los expedientes médicos.
timeline-ready-for-review = Se reunieron todos los expedientes médicos.
timeline-in-review = El caso se envió al especialista para su revisión.
timeline-opinion-delivered = La opinión escrita del especialista está lista.
timeline-closed = Se cerró el caso.
timeline-cancelled = Se canceló el caso.
timeline-record-received = Se recibieron los expedientes de { $facility }.
timeline-sent-to-specialist = Se espera la opinión escrita a más tardar el { $date }.
timeline-fee-requested = Su coordinadora o coordinador de atención le preguntó por una revisión adicional. No se cobra nada a menos que usted acepte.
timeline-fee-requested-amount = Su coordinadora o coordinador de atención le preguntó por una revisión adicional ({ $amount }). No se cobra nada a menos que usted acepte.
timeline-fee-paid = Usted pagó la revisión adicional.
timeline-fee-declined = Usted rechazó la revisión adicional.
timeline-fee-waived = Se exoneró la tarifa de la revisión adicional: no hay nada que pagar.
timeline-follow-up-asked = Usted hizo una pregunta de aclaración sobre la pregunta { $number }.
timeline-follow-up-answered-specialist = El especialista respondió su pregunta de aclaración sobre la pregunta { $number }.
timeline-follow-up-answered-clinician = El médico del equipo respondió su pregunta de aclaración sobre la pregunta { $number }.
timeline-call-scheduled = Se programó su llamada de seguimiento con el médico del equipo para el { $when }.
timeline-call-done = El médico del equipo le llamó para repasar la opinión.
timeline-referral-requested = Usted pidió ayuda con una consulta o una remisión.
timeline-release-needed = Su coordinadora o coordinador de atención agregó { $facility }; firme su autorización.
timeline-payment-declined = Se rechazó un pago con tarjeta. No se cobró nada; pruebe con otra tarjeta.

cancel-title = Cancelar este caso
cancel-until = Puede cancelar hasta que empiece la revisión del especialista.
cancel-refunded = Se le reembolsará la tarifa del caso a su tarjeta.
cancel-button = Cancelar el caso…
cancel-confirm-title = ¿Cancelar el caso { $number }?
cancel-cant-reopen = El caso se cancela y no se puede volver a abrir.
cancel-refund = Lo que pagó se le reembolsa a la tarjeta con la que pagó; los reembolsos suelen aparecer en 5 a 10 días.
cancel-new-case = Puede abrir un caso nuevo para su hijo en cualquier momento.
cancel-yes = Sí, cancelar el caso
cancel-yes-refund = Sí, cancelar y reembolsar
cancelled = El caso está cancelado.
cancelled-refunded = El caso está cancelado y lo que pagó se le reembolsó a su tarjeta. Los reembolsos suelen aparecer en 5 a 10 días.
cancelled-refund-on-its-way = El caso está cancelado. Su reembolso está en camino; suele aparecer en su tarjeta en 5 a 10 días.
cancelled-refund-failed = El caso está cancelado. No pudimos hacer el reembolso automáticamente; nuestro equipo ya está avisado y lo hará.
