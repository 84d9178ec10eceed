# Las negativas de las reglas del caso (restricciones con nombre de la base de datos), en la página que se rechazó.

refusal-questions-frozen = Las preguntas no se pueden cambiar una vez que empezó la revisión del especialista. Si surge algo nuevo, puede abrir un caso nuevo.
refusal-child-frozen = El nombre y la fecha de nacimiento de su hijo o hija ya no se pueden cambiar aquí: el especialista está revisando el caso con esos datos. Si no son correctos, llame a su coordinadora de atención al { -phone }, quien puede corregirlos.
refusal-last-question = Su caso necesita al menos una pregunta una vez que empezó el pago. Cambie esta pregunta en lugar de quitarla.
refusal-records-frozen = Los expedientes no se pueden agregar ni cambiar una vez que empezó la revisión del especialista. Si surge información nueva, puede abrir un caso nuevo.
refusal-sixth-question = Un caso puede tener como máximo 5 preguntas. Combine dos preguntas, o reemplace una, para hacer esta.
refusal-fourth-follow-up = Ya usó las 3 preguntas de seguimiento de este caso.
refusal-follow-on-not-yet = Este caso todavía acepta expedientes y preguntas nuevas: agréguelos a este caso.
refusal-cancel-too-late = La revisión del especialista ya empezó, así que este caso ya no se puede cancelar.
refusal-needs-phone = Agregue un número de teléfono con su código de país (en «Datos básicos») para que el equipo de atención pueda llamarle.
refusal-needs-a-question = Un caso necesita al menos una pregunta para el especialista antes de enviarse o pasar a revisión.
refusal-messages-closed = Este caso no está abierto a mensajes. Si nos necesita, llámenos.
refusal-release-signed = La autorización para este lugar ya está firmada.
refusal-forty-files = Este caso ya tiene el máximo de 40 archivos.
