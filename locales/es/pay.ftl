# Pagos (la tarifa del caso y las revisiones adicionales), recibos y estados
# de cuenta anuales. Las siglas HSA y FSA se dejan en inglés, con su nombre
# en español: son las que usan las tarjetas y los administradores en EE. UU.

pay-fee-title = Pagar la { $kind }
pay-case-fee-title = Pagar la tarifa del caso
pay-case-fee-heading = Pagar la tarifa del caso: { $amount }
pay-case-fee-how = Pague con tarjeta de crédito o débito. Las tarjetas HSA y FSA también sirven. Su caso se envía en cuanto se aprueba el pago.
pay-fee-optional = Es opcional: al pagar, usted acepta la revisión adicional; si prefiere no hacerla, vuelva atrás y recházela.
pay-failed = El pago no se realizó
pay-not-charged = No se le cobró nada. Puede intentarlo de nuevo o usar otra tarjeta.
pay-processing-html = <strong>Su banco está confirmando el pago.</strong> Esto puede tardar unos minutos. No tiene que quedarse en esta página: le enviaremos un correo electrónico cuando termine, y la página del caso lo mostrará.
pay-go-to-case = Ir al caso
pay-back = Volver
pay-bank-confirm-html = <strong>Su banco le pide que confirme este pago.</strong> Se abre una ventana de su banco en esta página; siga sus pasos. No se cobra nada hasta que usted confirme.
pay-bank-confirm-button = Confirmar el pago con mi banco
pay-card-details = Datos de la tarjeta
pay-needs-javascript = Los datos de la tarjeta se escriben en un campo seguro que necesita JavaScript. Actívelo, o llámenos para pagar.
pay-test-mode-html = <strong>MODO DE PRUEBA: no es un pago real.</strong> Este servidor no tiene claves de pago, así que no se cobra ninguna tarjeta. Elija qué debe hacer el pago de prueba.
pay-test-button = Pagar { $amount } (prueba)
pay-test-decline = Simular una tarjeta rechazada
pay-enter-card = Escriba los datos de su tarjeta en el campo de la tarjeta y luego presione Pagar.
pay-unreachable = No pudimos comunicarnos con el servicio de pagos. No se le cobró nada. Inténtelo de nuevo en un minuto.
pay-case-fee-paid = Recibimos el pago. Su caso está enviado: una coordinadora o coordinador de atención se encargará de él.
pay-fee-paid = Recibimos el pago de la revisión adicional. Gracias.
pay-refunding = Esto ya estaba pagado, así que se le está reembolsando el segundo pago a su tarjeta. Los reembolsos suelen aparecer en 5 a 10 días.
pay-unmatched = Recibimos un pago que no pudimos asociar con este caso. No se le cobrará dos veces; nuestro equipo ya está avisado y se comunicará con usted.

receipt-title = Recibo { $number }
receipt-keep = Guarde este recibo para sus archivos, su cuenta de ahorros para la salud (HSA) o su cuenta de gastos flexibles (FSA).
receipt-provider = Proveedor
receipt-tax-id = Número de identificación fiscal { $id }
receipt-patient = Paciente
receipt-patient-born-html = <bdi>{ $name }</bdi>, fecha de nacimiento: { $born }
receipt-paid-by = Pagado por
receipt-service = Servicio
receipt-service-line = { $service } (caso { $number })
receipt-service-case = Segunda opinión en línea: revisión de expedientes médicos y consulta por escrito
receipt-service-imaging = Revisión adicional de estudios de imagen para una segunda opinión en línea
receipt-service-pathology = Revisión adicional de patología para una segunda opinión en línea
receipt-date-of-service = Fecha del servicio
receipt-from-to = Del { $from } al { $to }
receipt-amount = Importe
receipt-amount-usd = { $amount } (dólares estadounidenses)
receipt-paid = Pagado
receipt-card-ending = { $brand } terminada en { $last4 }
receipt-card = Tarjeta
receipt-refund = Reembolso
receipt-refunded-in-full = Reembolsado por completo ({ $amount }) el { $when }
receipt-number = Número de recibo
receipt-covers = La tarifa del caso cubre una coordinadora o coordinador de atención personal y un médico del equipo, la obtención y digitalización de los expedientes médicos, la revisión y la opinión escrita de un especialista, y el seguimiento. No se presenta ningún reclamo al seguro ni se asigna un código de procedimiento (CPT).
receipt-print = Imprimir este recibo

statement-title = Estado de cuenta de pagos { $year }
statement-heading = Estado de cuenta de pagos de { $year }
statement-back = Volver a sus hijos y sus casos
statement-intro = Todos los pagos de las segundas opiniones de sus hijos en { $year } (hora del Pacífico), para sus archivos, su HSA o su FSA.
statement-payments-in = Pagos en { $year }
statement-receipt = Recibo
statement-service-line = { $service }, caso { $number }
statement-refunded = Reembolsado
statement-net = Total después de reembolsos
statement-prepared-for = Preparado para
statement-no-claim = No se presenta ningún reclamo al seguro ni se asigna un código de procedimiento (CPT).
statement-other-years = Otros años:
statement-print = Imprimir este estado de cuenta
