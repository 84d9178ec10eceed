# Las páginas de la cuenta, la contraseña y la confirmación del correo, y por qué terminó una sesión.

account-title = Su cuenta
account-name = Nombre
account-email = Correo electrónico
account-not-confirmed = (aún sin confirmar)
account-role = Función
account-role-family = Padre, madre o tutor
account-timeouts = Para proteger su privacidad, cerramos su sesión después de { $minutes } minutos sin actividad y, en todo caso, después de 12 horas.
account-change-password = Cambiar su contraseña
account-emails = Elegir qué correos recibe sobre sus casos

password-change-intro = Al cambiar su contraseña se cierra su sesión en todos los demás dispositivos.
password-current = Contraseña actual
password-new = Contraseña nueva
password-hint = Al menos 12 caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña segura.
password-change-submit = Cambiar la contraseña
password-current-wrong = Su contraseña actual no es correcta.
password-changed = Su contraseña se cambió. Se cerraron las sesiones abiertas en otros dispositivos.

reset-title = Restablecer su contraseña
reset-intro = Escriba el correo electrónico de su cuenta. Si hay una cuenta con ese correo, le enviaremos un enlace para elegir una contraseña nueva.
reset-email = Correo electrónico
reset-submit = Enviar el enlace
reset-sent-title = Revise su correo
reset-sent = Si existe una cuenta con ese correo, le enviamos un enlace para elegir una contraseña nueva. El enlace funciona durante 30 minutos.
reset-back = Volver a iniciar sesión
reset-new-title = Elegir una contraseña nueva
reset-new-submit = Guardar mi contraseña nueva

verify-title = Confirmar su correo electrónico
verify-intro = Pulse el botón para confirmar que este correo electrónico es suyo.
verify-submit = Confirmar mi correo
verify-confirmed = Su correo electrónico está confirmado. Ya puede iniciar sesión.
verify-already = Su correo electrónico ya está confirmado.
verify-too-many = Le enviamos varios enlaces en la última hora. Revise su bandeja de entrada y la carpeta de correo no deseado.
verify-resent = Le enviamos un nuevo enlace de confirmación. Funciona durante 48 horas.

link-invalid-title = Este enlace no es válido o ya venció
link-invalid-confirmation = Este enlace de confirmación ya se usó, venció o se copió incompleto.
link-invalid-reset = Este enlace para restablecer la contraseña ya se usó, venció o se copió incompleto.
link-invalid-confirm-hint = Para confirmar su correo, inicie sesión y pida un enlace nuevo.
link-invalid-reset-hint-html = Para restablecer su contraseña, <a href="/password-reset">pida un enlace nuevo</a>.

signed-out-idle = Cerramos su sesión después de un tiempo sin actividad, para proteger su información. Inicie sesión de nuevo.
signed-out-expired = Cerramos su sesión porque llevaba 12 horas abierta. Inicie sesión de nuevo.
signed-out-ended = Su sesión terminó. Inicie sesión de nuevo.
signed-out = Cerró su sesión.
signed-out-password-reset = Su contraseña se cambió. Inicie sesión con su contraseña nueva.
