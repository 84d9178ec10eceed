# Mensajes con el equipo de atención, quién ha visto el caso y qué correos recibir.

messages-title = Mensajes
messages-heading = Mensajes con su equipo de atención
messages-intro-html = Su coordinadora o coordinador de atención personal y su médico del equipo de { -partner } leen estos mensajes y responden, normalmente en un día hábil. <strong>No es para emergencias:</strong> llame al 911.
messages-write = Escriba a su equipo de atención
messages-label = Su mensaje
messages-label-in-error = El mensaje
messages-hint = Hasta 4,000 caracteres. Le enviamos un correo electrónico cuando respondan; el correo nunca incluye el mensaje.
messages-attach = Adjuntar un archivo (opcional)
messages-attach-hint = Un PDF, JPEG o PNG de hasta 25 MB, por ejemplo un informe nuevo. Su coordinadora o coordinador de atención lo puede agregar a los expedientes médicos.
messages-send = Enviar
messages-draft = Cuando envíe el caso, podrá escribir aquí a su equipo de atención.
messages-finished = Este caso terminó, así que ya no recibe mensajes nuevos.
messages-call-html = Para comunicarse con { -partner }, llame al <a href="{ -phone-tel }">{ -phone }</a>, { -hours }.
messages-empty = Escriba un mensaje o adjunte un archivo.
messages-file-not-attached = No se adjuntó el archivo. { $reason }
messages-sent = Se envió su mensaje. Su equipo de atención suele responder en un día hábil.
thread-empty = Todavía no hay mensajes.
thread-label = Mensajes, del más antiguo al más reciente
thread-attached = Adjunto:
thread-filed = archivado con los expedientes médicos
thread-role-family = familia
thread-role-coordinator = coordinación de atención
thread-role-clinician = médico del equipo
thread-role-specialist = especialista
thread-role-admin = administración

seen-title = Quién ha visto el caso
seen-intro = Cada vez que alguien de { -partner } abrió el caso de su hijo, sus expedientes médicos, sus mensajes o la opinión, queda anotado. Esta es esa lista, de lo más reciente a lo más antiguo.
seen-none = Nadie del equipo de atención ha abierto el caso todavía.
seen-break-glass = (abierto en una emergencia, con un motivo que el programa revisa)
seen-more-html = Solo se muestran los { $count } más recientes. Para ver la lista completa, llame a { -partner } al <a href="{ -phone-tel }">{ -phone }</a>.
seen-unexpected-html = Si ve un nombre que no espera, llame a { -partner } al <a href="{ -phone-tel }">{ -phone }</a>, { -hours }.
seen-role-coordinator = Coordinación de atención
seen-role-clinician = Médico del equipo
seen-role-specialist = Especialista
seen-role-admin = Administración del programa
seen-role-family = Familia
seen-what-case = El caso
seen-what-child = El nombre y la fecha de nacimiento de su hijo
seen-what-document = Un expediente médico
seen-what-attachment = Un archivo que usted envió
seen-what-messages = Sus mensajes
seen-what-release = Una carta de autorización para pedir expedientes
seen-what-preview = La opinión, antes de firmarse
seen-what-opinion = La opinión firmada

emails-title = Correos sobre sus casos
emails-back = Volver a su cuenta
emails-intro = Nuestros correos nunca dicen nada sobre la salud de su hijo: solo que hay novedades, con un enlace para iniciar sesión y leerlas. Siempre puede ver todo en la página de su caso.
emails-legend = Enviarme correos
emails-always = Los correos para confirmar su dirección o sobre su contraseña, y los recibos de pago, siempre se envían.
emails-choose = Elija qué correos quiere recibir.
emails-saved = Se guardó su elección de correos.
