# Después de la opinión: un caso nuevo, enlaces para el médico del niño, una autorización firmada después.

follow-on-title = Un caso nuevo para información nueva
follow-on-back = Volver al caso { $number }
follow-on-heading = ¿Abrir un caso nuevo para información nueva?
follow-on-why = Ya no se pueden agregar expedientes ni preguntas al caso { $number }, porque empezó la revisión del especialista. Para que se revise información nueva, abra un caso nuevo.
follow-on-fee-html = <strong>El caso nuevo es un caso nuevo de { $fee }</strong>, que se paga al enviarlo, como el primero. Abrirlo no cuesta nada, y puede cancelarlo antes de que empiece la revisión.
follow-on-starts-with = Con qué empieza el caso nuevo
follow-on-none-given = No se indicó
follow-on-specialist-html = Volveremos a pedir a <bdi>{ $name }</bdi> ({ $specialty }), pero no podemos garantizar que esté disponible.
follow-on-no-specialist = Ningún especialista en particular: elige nuestro equipo.
follow-on-change = Puede cambiar todo esto en el caso nuevo. No se copian sus preguntas ni dónde están los expedientes: usted agrega los expedientes nuevos y sus preguntas sobre ellos.
follow-on-open = Abrir el caso nuevo
follow-on-not-now = Ahora no
follow-on-opened = Se abrió un caso nuevo, vinculado al anterior, con sus datos básicos copiados.
follow-on-opened-specialist = Se abrió un caso nuevo, vinculado al anterior, con sus datos básicos copiados. Pediremos al mismo especialista, pero no podemos garantizar que esté disponible.
share-created = Abajo está listo un enlace para el médico de su hijo. Cópielo ahora: por la privacidad de su hijo no podemos volver a mostrarlo.
share-revoked = Se retiró el enlace: ya no abre la opinión.
release-signed = La autorización está firmada.
