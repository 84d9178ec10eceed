# Lo que un formulario rechaza, campo por campo (las reglas del dominio).

name-missing = Escriba su nombre completo.
name-too-long-200 = Los nombres pueden tener como máximo 200 caracteres.
email-missing = Escriba su correo electrónico.
email-invalid = Escriba un correo electrónico como nombre@ejemplo.com.
password-too-short = Use al menos 12 caracteres. Unas cuantas palabras sin relación entre sí forman una buena contraseña.
password-too-long = Use como máximo 128 caracteres.
password-bad-character = La contraseña contiene un carácter que no podemos aceptar.
password-common = Esta contraseña es demasiado común o aparece en filtraciones de datos conocidas. Elija otra.
phone-missing = Escriba un número de teléfono donde podamos llamarle, con su código de país.
phone-invalid = Escriba un número de teléfono con su código de país, por ejemplo +1 415 555 0100.
question-empty = Escriba su pregunta. Una pregunta no puede estar vacía.
question-too-long = Una pregunta puede tener como máximo 2,000 caracteres. Pruebe a dividirla o a acortar los antecedentes.
question-bad-character = La pregunta contiene un carácter que no podemos aceptar.
