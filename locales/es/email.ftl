# Todos los correos. Ninguno lleva información de salud ni nombres: a lo
# sumo "hay novedades, inicie sesión". Ids: email-<tipo>-subject, -p1, -p2, -action.

email-hello = Hola:
email-copy-address = O copie esta dirección en su navegador:
email-signature = Segunda Opinión: segundas opiniones médicas en línea para niños.
email-signature-text = Segunda Opinión: segundas opiniones médicas en línea para niños
email-emergency = ¿Es una emergencia médica? Llame al 911 o vaya a la sala de emergencias más cercana.
email-if-not-you = Si no fue usted, puede ignorar este correo. ¿Preguntas? Llame a { -partner } al { -phone }, { -hours }.

email-verify-email-subject = Confirme su correo electrónico
email-verify-email-p1 = Gracias por crear una cuenta de Segunda Opinión. Confirme que esta es su dirección de correo electrónico.
email-verify-email-action = Confirmar mi correo
email-verify-email-after = El enlace funciona durante 48 horas.

email-account-exists-subject = Ya tiene una cuenta
email-account-exists-p1 = Alguien (probablemente usted) intentó crear una cuenta de Segunda Opinión con esta dirección de correo, que ya tiene una.
email-account-exists-action = Restablecer mi contraseña
email-account-exists-after = Si recuerda su contraseña, simplemente inicie sesión.

email-reset-password-subject = Restablezca su contraseña
email-reset-password-p1 = Recibimos una solicitud para restablecer la contraseña de su cuenta de Segunda Opinión.
email-reset-password-action = Elegir una contraseña nueva
email-reset-password-after = El enlace funciona durante 30 minutos y una sola vez.

email-password-changed-subject = Se cambió su contraseña
email-password-changed-p1 = Se acaba de cambiar la contraseña de su cuenta de Segunda Opinión y se cerraron las demás sesiones.
email-password-changed-after = Si no fue usted, restablezca su contraseña ahora y llámenos: { -phone }, { -hours }.

email-staff-invite-subject = Su cuenta de personal de Segunda Opinión
email-staff-invite-p1 = Un administrador creó para usted una cuenta de personal de Segunda Opinión. Elija una contraseña para empezar.
email-staff-invite-action = Elegir mi contraseña
email-staff-invite-after = El enlace funciona durante 24 horas. Si venció, use "¿Olvidó su contraseña?" en la página para iniciar sesión.

email-payment-received-subject = Pago recibido: su caso está enviado
email-payment-received-p1 = Gracias. Recibimos su pago y su caso está enviado. Una coordinadora o coordinador de atención personal se encargará a partir de ahora.
email-payment-received-p2 = Su recibo está en la página de su caso. Puede usarlo para su HSA o FSA.
email-payment-received-action = Iniciar sesión para ver su caso

email-case-update-subject = Hay novedades en su caso
email-case-update-p1 = Hay novedades en su caso. Inicie sesión para leerlas.
email-case-update-action = Iniciar sesión para leerlas

email-case-assigned-subject = A case was sent to you for review
email-case-assigned-p1 = A second opinion case was sent to you for review. Sign in to see it and its due date.
email-case-assigned-action = Sign in to see your cases

email-additional-fee-subject = Hay novedades en su caso
email-additional-fee-p1 = Hay novedades en su caso: su coordinadora o coordinador de atención le consulta sobre una revisión adicional. Inicie sesión para leerlo; no se cobra nada a menos que usted lo acepte.
email-additional-fee-action = Iniciar sesión para leerlo

email-follow-up-escalated-subject = A clarifying question was passed to you
email-follow-up-escalated-p1 = The clinician passed a family's clarifying question about your opinion to you. Answering is not required; the family has been told an answer is not guaranteed. Sign in to see it.
email-follow-up-escalated-action = Sign in to see it

email-record-requested-subject = Hay novedades en su caso
email-record-requested-p1 = Hay novedades en su caso: su coordinadora o coordinador de atención le pide un expediente. Inicie sesión para ver lo que se necesita.
email-record-requested-action = Iniciar sesión para verlo

email-family-message-subject = A family sent a message
email-family-message-p1 = A family wrote to their care team about one of your cases. Sign in to read it and reply.
email-family-message-action = Sign in to read it

email-opinion-ready-subject = La segunda opinión de su hijo está lista
email-opinion-ready-p1 = La segunda opinión de su hijo está lista. Inicie sesión para leerla.
email-opinion-ready-p2 = Un médico le llamará para repasarla con usted. Puede hacer hasta 3 preguntas de aclaración en un plazo de 5 días hábiles.
email-opinion-ready-action = Iniciar sesión para leerla

email-guardian-invite-subject = Le invitan a seguir la segunda opinión de un niño
email-guardian-invite-p1 = Una madre o un padre le invitó a compartir con él o ella la cuenta de Segunda Opinión de su hijo, como la otra madre, el otro padre o el tutor legal del niño. Los dos verían los casos, los mensajes, la opinión y los recibos del niño.
email-guardian-invite-p2 = Para aceptar, inicie sesión (o cree una cuenta) con esta dirección de correo y confirme que es la madre, el padre o el tutor legal del niño.
email-guardian-invite-action = Ver la invitación
email-guardian-invite-after = La invitación funciona durante 7 días.
