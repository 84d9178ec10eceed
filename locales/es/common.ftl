# El diseño, la navegación y los nombres que usan todas las páginas de la familia.

brand = Segunda Opinión
brand-for-children = para niños
skip-link = Saltar al contenido principal
test-mode-label = Modo de prueba
test-mode-banner = MODO DE PRUEBA: no se cobra nada de verdad. Los pagos con tarjeta en este servidor son simulados.
nav-label = Principal
nav-home = Inicio
nav-sign-in = Iniciar sesión
nav-register = Crear una cuenta
nav-family = Hijos y casos
nav-account = Cuenta
sign-out = Cerrar sesión
signed-in-as-html = Sesión iniciada como <bdi>{ $name }</bdi>
not-done = No se hizo:
footer-emergency-html = <strong>¿Es una emergencia médica?</strong> No use este servicio. Llame al 911 o vaya a la sala de emergencias más cercana.
footer-help-html = Ayuda con su caso de { -partner }: <a href="{ -phone-tel }">{ -phone }</a> (dentro de EE. UU.) o <a href="{ -phone-intl-tel }">{ -phone-intl }</a> (internacional), { -hours }.
language-en = inglés
language-es = español
back-to-case = Volver al caso
back-to-case-number = Volver al caso { $number }
back-to-dashboard = Volver a su página principal
case-number = Caso { $number }
case-and-child = Caso { $number } · { $child }
there-is-a-problem = Hay un problema
error-prefix = Error:
save = Guardar

# Páginas de error.
error-not-found-title = No encontramos la página
error-not-found = No pudimos encontrar esa página. Si siguió un enlace, puede que ya no esté vigente.
error-csrf-title = Su formulario venció
error-csrf = Su formulario venció o llegó desde otro sitio. Vuelva atrás, recargue la página e inténtelo de nuevo.
error-bad-request-title = Algo en esa solicitud no estaba bien
error-bad-request = Vuelva atrás e inténtelo de nuevo.
error-conflict-title = Eso no se puede hacer ahora
error-unsupported-title = Formulario no admitido
error-unsupported = No pudimos leer ese formulario. Use el formulario de la página.
error-too-large-title = Demasiados datos
error-too-large = Eso es más de lo que admite este formulario.
error-unavailable-title = No disponible por el momento
error-unavailable = Estamos muy ocupados en este momento. No se cambió nada. Inténtelo de nuevo en un minuto.
error-internal-title = Algo salió mal de nuestro lado
error-internal = No se cambió nada. Inténtelo de nuevo; si sigue pasando, llámenos y mencione la referencia de abajo.
error-reference = Referencia:
error-home-signed-in = Ir a su página principal
error-home = Ir a la página de inicio

# Páginas de confirmación.
confirm-still-open = Pendiente
confirm-what-happens = Lo que va a pasar
confirm-go-back = Volver sin cambiar nada

# El estado de un caso.
status-draft = Borrador
status-submitted = Enviado
status-collecting-records = Reuniendo expedientes
status-ready-for-review = Expedientes completos
status-in-review = Con el especialista
status-opinion-delivered = Opinión lista
status-closed = Cerrado
status-cancelled = Cancelado

sex-female = Femenino
sex-male = Masculino
sex-intersex = Intersexual
sex-not-stated = Prefiero no decirlo

relationship-parent = Madre o padre
relationship-legal-guardian = Tutor legal
relationship-legal-representative = Otro representante legal

record-not-requested = Todavía no se han pedido
record-requested = Pedidos, esperando a la clínica
record-received = Recibidos
record-digitized = Recibidos y digitalizados
record-unavailable = No disponibles

fee-kind-imaging = Nueva revisión de estudios de imagen
fee-kind-pathology = Nueva revisión de patología
fee-status-requested = Esperando su decisión
fee-status-paid = Pagada
fee-status-declined = Rechazada
fee-status-waived = Exonerada: no hay nada que pagar
fee-status-withdrawn = Retirada: el caso se canceló
fee-date-effect = { $days ->
    [0] La fecha de la opinión no cambia.
    [one] La opinión se entregará 1 día hábil más tarde.
   *[other] La opinión se entregará { $days } días hábiles más tarde.
}

referral-requested = Solicitado: el médico se comunicará con usted.
referral-visit-arranged = Se organizó una consulta con el experto.
referral-sent = Se envió la remisión.
referral-not-needed = Cerrado: no hace falta.

outcome-agrees = El especialista está de acuerdo con el diagnóstico y el plan de tratamiento de su hijo.
outcome-agrees-diagnosis = El especialista está de acuerdo con el diagnóstico y recomienda un tratamiento distinto o adicional.
outcome-different-diagnosis = El especialista tiene un diagnóstico distinto y recomienda un tratamiento diferente.

email-updates-every-step = En cada paso: cuando se acepta el caso, llegan los expedientes, pasa al especialista, etc.
email-updates-essential = Solo cuando tenga que hacer algo o haya algo listo para mí (un mensaje, un cargo que decidir, la opinión, una respuesta, una llamada)

purpose-case-fee = Tarifa del caso
purpose-additional-fee = Tarifa de revisión adicional
refund-requested = Reembolso en trámite
refund-succeeded = Reembolsado
refund-failed = El reembolso falló: el equipo de atención se comunicará con usted

# Texto libre rechazado (la etiqueta nombra el campo: "El diagnóstico").
text-too-long = { $label } puede tener como máximo { $max } caracteres.
text-bad-character = { $label } contiene un carácter que no podemos aceptar.

# Forms everywhere.
error-summary-title = Hay un problema
field-email = Correo electrónico
field-password = Contraseña

# Registration and sign-in (family-facing).
register-title = Crear una cuenta
register-intro = Cree una cuenta para su familia. Después podrá agregar a su hijo o hija y abrir un caso.
register-full-name = Nombre completo
register-full-name-hint = Su propio nombre, como madre, padre o tutor.
register-email-hint = Le enviaremos un enlace para confirmarlo. Los correos nunca contienen datos médicos.
register-password-hint = Al menos 12 caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña segura y fácil de recordar.
register-submit = Crear cuenta
register-have-account = ¿Ya tiene una cuenta?
login-forgot = ¿Olvidó su contraseña?
login-new-here-html = ¿Es nuevo aquí? <a href="/register">Cree una cuenta</a> para pedir una segunda opinión para su hijo o hija.
check-email-title = Revise su correo
check-email-sent = Enviamos un enlace a la dirección que nos dio. Ábralo para confirmar su correo electrónico y después inicie sesión.
check-email-none = ¿No le llegó el correo en unos minutos? Revise la carpeta de correo no deseado. Si ya tenía una cuenta, el correo explica cómo iniciar sesión.
check-email-go = Ir a iniciar sesión
