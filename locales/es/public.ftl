# Iniciar sesión y crear una cuenta: lo que dice un formulario rechazado.

login-not-right = El correo o la contraseña no son correctos. Revíselos e inténtelo de nuevo, o restablezca su contraseña.
login-password-missing = Escriba su contraseña.
login-throttled = { $minutes ->
    [one] Demasiados intentos de iniciar sesión. Por su seguridad, espere 1 minuto e inténtelo de nuevo, o restablezca su contraseña.
   *[other] Demasiados intentos de iniciar sesión. Por su seguridad, espere { $minutes } minutos e inténtelo de nuevo, o restablezca su contraseña.
}
register-throttled-account = { $minutes ->
    [one] Demasiados intentos de crear una cuenta con este correo. Espere 1 minuto, o inicie sesión o restablezca su contraseña si ya tiene una cuenta.
   *[other] Demasiados intentos de crear una cuenta con este correo. Espere { $minutes } minutos, o inicie sesión o restablezca su contraseña si ya tiene una cuenta.
}
register-throttled-network = { $minutes ->
    [one] Se crearon demasiadas cuentas desde su red en la última hora. Espere 1 minuto e inténtelo de nuevo.
   *[other] Se crearon demasiadas cuentas desde su red en la última hora. Espere { $minutes } minutos e inténtelo de nuevo.
}

# La página pública de inicio y sus preguntas frecuentes.

landing-title = Segundas opiniones en línea para niños
landing-emergency-label = Emergencias médicas
landing-emergency-html = <strong>¿Es una emergencia médica?</strong> No use este servicio para emergencias médicas ni si necesita orientación inmediata sobre un tratamiento. Llame al 911 (o al número de emergencias de su país) o vaya a la sala de emergencias más cercana.
landing-lead = Si su hijo enfrenta un problema médico complejo o una decisión de tratamiento difícil, una segunda opinión de un especialista de { -hospital } puede darle orientación y tranquilidad, dondequiera que viva.
landing-online = Todo se hace en línea, así que no necesita viajar. { -partner }, nuestro socio de coordinación de la atención, reúne los expedientes médicos de su hijo y se ocupa de cada paso por usted. El servicio es confidencial.
landing-dashboard = Ir a su página principal
landing-who-title = A quién puede ayudar este servicio
landing-who-intro = Una segunda opinión en línea puede ser muy útil si:
landing-who-diagnosis = quiere una segunda opinión sobre el diagnóstico de su hijo
landing-who-treatment = quiere una segunda opinión sobre el tratamiento que recomiendan los médicos de su hijo
landing-in-person-html = Si prefiere ver a un médico en persona, llame al <a href="{ -appointments-tel }">{ -appointments-phone }</a> para que le ayuden a encontrar un médico o una clínica de { -hospital }.
landing-how-title = Cómo funciona
landing-how-intro = Puede obtener una segunda opinión en línea para su hijo en cuatro pasos.
landing-step1-title = Cree una cuenta y abra un caso
landing-step1-html = Cree una cuenta, agregue un perfil para su hijo y luego abra un caso desde su página principal. Si necesita ayuda, llame a { -partner }, nuestro socio de coordinación de la atención (vea <a href="#help">ayuda y teléfonos de contacto</a>).
landing-step2-title = Cuéntenos sobre su hijo
landing-step2 = Usted nos da un correo electrónico, datos básicos de su hijo, dónde están sus expedientes médicos y hasta cinco preguntas que le gustaría que respondiera el especialista.
landing-step3-title = Reunimos los expedientes y elegimos al especialista
landing-step3 = { -partner } reúne todos los expedientes médicos de su hijo y elige al especialista de { -hospital } más adecuado para revisar el caso. Todo se maneja de forma segura para proteger la privacidad de su familia.
landing-step4-title = El especialista escribe la segunda opinión
landing-step4 = El especialista revisa el diagnóstico y el plan de tratamiento de su hijo y da una orientación médica clara en una segunda opinión por escrito que responde a las preguntas que usted hizo.
landing-team = Cada caso tiene su propio coordinador de atención y un médico del equipo de { -partner }. Son sus contactos durante todo el proceso: se ocupan de los trámites, reúnen los expedientes, responden sus preguntas y se aseguran de que se atiendan sus necesidades.
landing-cost-title = Cuánto cuesta
landing-cost-html = Una segunda opinión en línea cuesta <strong>{ $fee }</strong>. Esto incluye:
landing-cost-team = un coordinador de atención personal y un médico del equipo de { -partner }
landing-cost-records = reunir, digitalizar y entregar los expedientes médicos de su hijo
landing-cost-review = la revisión médica de un especialista de { -hospital }
landing-cost-opinion = la opinión por escrito de ese especialista
landing-cost-follow-up = el seguimiento para responder preguntas y ayudar con referencias relacionadas con la segunda opinión
landing-cost-extra = En casos poco comunes el especialista pide otra revisión de estudios de imagen o de informes de patología (como los resultados de una biopsia). Si eso sucede, su coordinador de atención le hablará de la tarifa adicional antes de hacer nada.
landing-paying-title = El pago
landing-paying-due = El pago se hace al enviar su solicitud de segunda opinión.
landing-paying-cards = Aceptamos las principales tarjetas de crédito: Mastercard, Visa, American Express y Discover.
landing-paying-hsa = También puede pagar con una tarjeta de cuenta de ahorros para la salud (HSA) o de cuenta de gastos flexibles (FSA).
landing-paying-insurance = La mayoría de los planes de salud no cubren las segundas opiniones en línea, así que el costo corre por su cuenta. No se presenta ningún reclamo a su aseguradora, y no podemos dar un código de procedimiento (CPT) para este servicio.
landing-timing-title = Cuánto tarda
landing-timing-html = La mayoría de las familias reciben la segunda opinión por escrito <strong>de 5 a 7 días hábiles después de reunir todos los expedientes médicos</strong>. El tiempo depende de lo rápido que se consigan los expedientes, de lo complejo que sea el caso y de la disponibilidad del especialista más adecuado para revisarlo.
landing-timing-updates = Su coordinador de atención le mantendrá al tanto, y puede iniciar sesión en cualquier momento para ver cómo avanza el caso de su hijo.
landing-before-title = Bueno saber antes de empezar
landing-before-english-html = <strong>Los expedientes deben estar en inglés.</strong> Si alguno de los expedientes de su hijo está en otro idioma, hágalo traducir por un traductor médico calificado antes de enviarlo. Puede usar el servicio calificado que prefiera, o comunicarse con { -translation-service }.
landing-before-questions-html = <strong>Puede hacer hasta 5 preguntas.</strong> Todas las preguntas deben estar terminadas antes de que el especialista empiece la revisión, y después no se puede agregar ninguna. No hay conversación telefónica directa con el especialista, así que incluya desde el principio todo lo que quiera preguntar.
landing-before-records-html = <strong>No se pueden agregar expedientes una vez que empezó la revisión.</strong> Si surge información nueva, puede abrir y pagar un caso nuevo y pedir al mismo especialista, aunque no podemos garantizar que esté disponible.
landing-before-doctor-html = <strong>Puede pedir un médico en particular.</strong> Intentaremos cumplir su deseo, pero no podemos garantizar que se asigne a ese especialista.
landing-after-title = Cuando reciba la opinión
landing-after-call = Le avisaremos cuando la segunda opinión por escrito esté lista. Después de leerla, un médico de { -partner } le llamará para hablar de sus preguntas médicas generales sobre ella.
landing-after-may = El especialista puede:
landing-after-agree = estar de acuerdo con el diagnóstico y el plan de tratamiento originales, lo que le da la tranquilidad de que está tomando las decisiones correctas para su hijo
landing-after-treatment = estar de acuerdo con el diagnóstico pero sugerir un tratamiento diferente o adicional
landing-after-different = llegar a un diagnóstico diferente y recomendar otro tratamiento
landing-after-pcp = Sea cual sea el resultado, haga una cita con el médico de cabecera de su hijo para revisar juntos las recomendaciones y planear el mejor tratamiento para su hijo.
landing-follow-up-title = Preguntas de seguimiento
landing-follow-up-html = Si algo de la respuesta a una de sus preguntas no está claro, puede hacer <strong>hasta 3 preguntas de aclaración dentro de los 5 días hábiles</strong> después de que la opinión esté disponible para usted. Las preguntas de seguimiento deben tratar sobre lo que leyó; no pueden ser preguntas nuevas. El médico del equipo de { -partner } responderá primero y, si hace falta, intentará comunicarse con el especialista. Las respuestas del especialista dependen de su disponibilidad y no están garantizadas.
faq-title = Preguntas frecuentes
faq-how = ¿Cómo funciona?
faq-how-html = Cree una cuenta, agregue a su hijo y abra un caso. Díganos dónde están los expedientes de su hijo y qué le gustaría preguntar. { -partner } reúne los expedientes y elige al especialista, que luego escribe una segunda opinión que responde a sus preguntas. Los <a href="#how-it-works">cuatro pasos</a> se describen arriba. Un coordinador de atención personal y un médico del equipo le acompañan durante todo el proceso.
faq-long = ¿Cuánto tarda?
faq-long-1 = Hacemos todo lo posible por entregar las segundas opiniones por escrito lo antes posible. El tiempo depende sobre todo de lo rápido que se consigan todos los expedientes médicos necesarios. Una vez reunidos, la mayoría de las personas reciben la segunda opinión por escrito de 5 a 7 días hábiles después, según la complejidad del caso y la disponibilidad del especialista más adecuado para revisarlo.
faq-long-2 = Su coordinador de atención le mantendrá al tanto, y puede iniciar sesión en su cuenta segura en cualquier momento para seguir el avance.
faq-cost = ¿Cuánto cuesta?
faq-cost-1 = Una segunda opinión en línea cuesta { $fee }. Eso incluye al coordinador de atención y al médico del equipo, reunir y digitalizar los expedientes, la revisión del especialista, la opinión por escrito y el seguimiento de preguntas y referencias relacionadas con la opinión.
faq-cost-2 = En casos poco comunes el especialista sugiere otra revisión de estudios de imagen o de informes de patología (como los resultados de una biopsia). Si esto sucede, su coordinador de atención le hablará de las tarifas adicionales de esos servicios.
faq-insurance = ¿El seguro de mi hijo ayudará a pagarlo?
faq-insurance-1 = Por ahora, la mayoría de los planes de salud no cubren las segundas opiniones ni las consultas en línea, así que el costo corre por su cuenta. El pago se hace al enviar su solicitud de segunda opinión.
faq-insurance-2 = Aceptamos las principales tarjetas de crédito (Mastercard, Visa, American Express y Discover). También puede pagar con su cuenta de ahorros para la salud (HSA) o su cuenta de gastos flexibles (FSA). { -hospital } no presentará un reclamo a su aseguradora y no puede dar un código de procedimiento (CPT) para el servicio de segunda opinión en línea.
faq-language = ¿Y si los expedientes médicos de mi hijo están en otro idioma?
faq-language-1 = Los expedientes médicos deben enviarse en inglés. Haga traducir los expedientes por un traductor médico calificado antes de enviarlos para la revisión. Puede usar el servicio calificado que prefiera, o comunicarse con { -translation-service } para recibir ayuda.
faq-after = ¿Qué debo hacer cuando tenga la segunda opinión?
faq-after-1 = El especialista puede estar de acuerdo con el diagnóstico y el plan de tratamiento originales, lo que le da la tranquilidad de que está tomando las decisiones correctas para la atención de su hijo. Puede estar de acuerdo con el diagnóstico pero recomendar un tratamiento diferente o adicional. O puede llegar a un diagnóstico diferente y recomendar otro tratamiento.
faq-after-2 = Sea cual sea el resultado, cuando reciba el informe, haga una cita con el médico de cabecera de su hijo para revisar las recomendaciones y decidir juntos el mejor tratamiento.
faq-after-3 = Si decide venir a { -hospital } para el tratamiento, es probable que su hijo vea al mismo médico que dio la segunda opinión en línea. Llame a la clínica para confirmar que ese médico sigue siendo el especialista adecuado para su hijo y que puede atenderle.
faq-add = ¿Puedo agregar más expedientes, resultados de laboratorio o imágenes una vez que empezó la revisión?
faq-add-1 = El especialista no puede revisar el caso hasta que recibamos todos los expedientes necesarios. Lamentablemente, una vez que empezó la revisión no podemos agregar más expedientes ni resultados al caso, así que el especialista no podrá revisarlos.
faq-add-2 = Si surge información nueva mientras el caso de su hijo está en curso, puede abrir y pagar un caso nuevo, y podemos pedir al mismo especialista que revisó el primero. No podemos garantizar que el mismo especialista esté disponible.
faq-who = ¿Quién elige al médico que da la segunda opinión?
faq-who-1 = Después de revisar con cuidado su solicitud y los expedientes médicos de su hijo, nuestro equipo con experiencia decide qué especialista de { -hospital } es el más adecuado. Puede pedir un médico en particular, e intentaremos cumplir su deseo, pero no podemos garantizar que se asigne a ese especialista al caso de su hijo.
faq-questions = ¿Cuántas preguntas puedo hacerle al especialista?
faq-questions-1 = Puede hacer hasta cinco preguntas, para que el especialista tenga tiempo suficiente de dar a cada una la atención que merece. Todas las preguntas deben estar terminadas antes de pedirle al especialista que revise el caso, y no se pueden agregar preguntas una vez que el caso está en curso.
faq-questions-2 = No hay conversación telefónica directa con el especialista, así que es importante enviar todas sus preguntas desde el principio.
faq-receive = ¿Qué recibiré cuando la segunda opinión esté terminada?
faq-receive-1 = Le avisaremos cuando la segunda opinión terminada esté lista para que la lea. Es una opinión por escrito. Después de leerla, un médico de { -partner } le llamará para responder sus preguntas médicas generales sobre ella.
faq-follow-up = ¿Puedo hacerle preguntas de seguimiento al especialista después de leer la segunda opinión?
faq-follow-up-1 = Si desea que se aclare la respuesta a una de sus preguntas y el médico del equipo de { -partner } no puede hacerlo, el médico del equipo intentará comunicarse con el especialista. Que el especialista pueda responder depende de su disponibilidad; las respuestas a las preguntas de seguimiento no están garantizadas.
faq-follow-up-2 = Las preguntas de seguimiento deben hacerse dentro de los 5 días hábiles después de que la segunda opinión terminada esté disponible para usted, y puede hacer hasta 3 preguntas de aclaración. Deben tratar sobre lo que leyó, no plantear preguntas nuevas. { -partner } también puede ayudarle a organizar una visita con el especialista si hace falta.
landing-help-title = Ayuda y teléfonos de contacto
landing-help-intro = Para recibir ayuda con una segunda opinión en línea, llame a { -partner }, nuestro socio de coordinación de la atención:
landing-help-us-html = Dentro de los Estados Unidos: <a href="{ -phone-tel }">{ -phone }</a>
landing-help-intl-html = Desde otros países: <a href="{ -phone-intl-tel }">{ -phone-intl }</a>
landing-help-hours = Hay ayuda disponible { -hours }.
landing-help-appointments-html = Para hacer una cita en persona en { -hospital }, llame al <a href="{ -appointments-tel }">{ -appointments-phone }</a>.
landing-help-emergency = En una emergencia médica, llame al 911 o vaya a la sala de emergencias más cercana.
landing-fee-unknown = la tarifa del caso que se muestra antes de pagar
