# Una copia de todo lo del caso para la familia (family/archive.rs, templates/family/archive/).
archive-heading = Su copia de todo
archive-link-short = la opinión con sus preguntas, la lista de expedientes, los mensajes y los recibos
archive-link = Descargar todo (zip)
archive-link-about = Un archivo con la opinión firmada (para imprimir o leer sin conexión), sus preguntas y sus respuestas, la lista de expedientes, sus mensajes y los archivos que envió, y sus recibos.
archive-throttled = Ha descargado este caso muchas veces en la última hora. Vuelva a intentarlo más tarde.
archive-title = Todo sobre el caso { $number }
archive-made-html = Sobre <bdi>{ $name }</bdi>. Preparado el { $when }.
archive-private = Este archivo contiene información de salud de su hijo o hija. Guárdelo en un lugar privado y compártalo solo con personas de confianza.
archive-inside = Qué contiene
archive-file-opinion-html = la segunda opinión firmada, tal como se imprime (se abre en cualquier navegador)
archive-file-opinion-txt = la misma opinión en texto simple
archive-no-opinion = Todavía no hay una opinión firmada: vuelva a descargar cuando esté lista.
archive-file-questions = sus preguntas, y las preguntas aclaratorias con sus respuestas
archive-file-records = dónde están los expedientes, qué pasó con cada uno y los archivos del caso
archive-file-messages = sus mensajes con su equipo de atención
archive-file-files = { $count ->
    [one] el archivo que adjuntó a un mensaje
   *[other] los { $count } archivos que adjuntó a mensajes
}
archive-file-receipts = { $count ->
    [one] su recibo, y el total del año para este caso
   *[other] sus { $count } recibos, y los totales del año para este caso
}
archive-as-written = Lo que usted, el especialista y su equipo de atención escribieron se conserva tal como se escribió.
archive-receipts-title = Recibos del caso { $number }
archive-year-totals = Pagos de este caso por año
archive-year = Año
archive-questions-heading = Sus preguntas
archive-records-heading = Dónde están los expedientes
archive-messages-heading = Mensajes con su equipo de atención
archive-message-from = { $name } ({ $role }), { $when }
archive-message-file = Adjunto: { $name } (en este archivo: { $path })
