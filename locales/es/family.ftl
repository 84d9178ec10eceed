# La página principal de la familia y los hijos.

dashboard-title = Sus hijos y sus casos
dashboard-confirm-email-html = <strong>Confirme su correo electrónico.</strong> Le enviamos un enlace cuando se registró. Usamos esta dirección para avisarle cuando hay novedades en su caso.
dashboard-send-link = Enviar un enlace nuevo
dashboard-invitation = { $inviter } le invitó a seguir con él o ella el caso de su hijo.
dashboard-invitation-open = Ver la invitación
dashboard-open-case = Abrir un caso nuevo
dashboard-add-child = Agregar un hijo
dashboard-no-children = Todavía no tiene perfiles de sus hijos. Abrir un caso toma unos 15 minutos: agrega a su hijo, nos dice dónde están los expedientes médicos y escribe hasta cinco preguntas para el especialista.
dashboard-age = { $years ->
    [one] 1 año
   *[other] { $years } años
}
dashboard-edit-child = Editar los datos
dashboard-of-child = de { $name }
dashboard-guardians = Madres, padres y tutores
dashboard-no-cases = Todavía no hay casos.
dashboard-statements = Estados de cuenta de pagos para su HSA, FSA o sus archivos:
dashboard-help-html = Si necesita ayuda, llame a { -partner } al <a href="{ -phone-tel }">{ -phone }</a>, { -hours }.

child-add-title = Agregar un hijo
child-edit-title = Editar los datos del niño
child-privacy = Solo usted, la otra madre, padre o tutor del niño si usted le invita, y las personas que trabajan en el caso de su hijo pueden ver estos datos.
child-first-name = Nombre
child-last-name = Apellido
child-preferred-name = Nombre preferido (opcional)
child-preferred-name-hint = Si su hijo usa otro nombre, lo usaremos.
child-date-of-birth = Fecha de nacimiento
child-date-of-birth-hint = Por ejemplo 2015-03-27 (año, mes, día). El programa es para niños y jóvenes menores de 21 años.
child-sex = Sexo
child-you-are = Usted es del niño su
child-confirm-guardian = Confirmo que soy la madre, el padre o el tutor legal de este niño.
child-first-name-missing = Escriba el nombre del niño.
child-last-name-missing = Escriba el apellido del niño.
child-sex-missing = Elija el sexo del niño, o "Prefiero no decirlo".
child-relationship-missing = Diga si es la madre o el padre del niño, o su tutor legal.
child-confirm-missing = Confirme que es la madre, el padre o el tutor legal de este niño.
child-added = Se agregó a { $name }.
child-saved = Se guardaron los datos del niño.
child-frozen = El nombre y la fecha de nacimiento de su hijo ya no se pueden cambiar aquí: el especialista está revisando el caso de su hijo con esos datos. Si están mal, llame a su coordinadora o coordinador de atención al { -phone }, que puede corregirlos.
child-frozen-field = Esto no se puede cambiar ahora: su coordinadora o coordinador de atención puede corregirlo (vea arriba).
name-too-long = Los nombres pueden tener como máximo 100 caracteres.
name-bad-characters = El nombre contiene caracteres que no podemos aceptar (caracteres de control o de dirección del texto).
dob-not-a-date = Escriba la fecha de nacimiento como una fecha real, por ejemplo 2015-03-27.
dob-in-future = La fecha de nacimiento no puede ser en el futuro.
dob-too-old = Este programa es para niños y jóvenes menores de 21 años.

# Opening a case.
new-case-title = Abrir un caso nuevo
new-case-emergency-html = <strong>No es para emergencias.</strong> Si se trata de una emergencia médica, llame al 911 o vaya a la sala de emergencias más cercana.
new-case-which-child = ¿Para cuál de sus hijos es este caso?
new-case-start = Empezar el caso
new-case-add-child = Agregar otro hijo o hija
new-case-choose-child = Elija para cuál de sus hijos es este caso.
