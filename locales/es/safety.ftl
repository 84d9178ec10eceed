# El control de seguridad, antes de abrir cualquier caso (issue 14). Este
# archivo es su configuración: las señales y la redacción.

safety-title = Antes de empezar
safety-intro = Una segunda opinión tarda unas dos semanas. Primero, dos preguntas, para que su hijo o hija reciba la ayuda adecuada a tiempo.
safety-emergency-legend = ¿Tiene su hijo o hija alguna de estas señales en este momento?
safety-emergency-signs = Dificultad para respirar o labios azules o grises; una convulsión; desmayo, o no despierta con normalidad; sangrado abundante; dolor intenso que sigue empeorando; pensamientos de hacerse daño.
safety-decision-legend = ¿Hay que tomar una decisión sobre el tratamiento de su hijo o hija (por ejemplo, una operación o un medicamento nuevo) en los próximos 7 días?
safety-decision-hint = Si es así, se lo decimos al equipo de atención para que revise su caso primero. No podemos prometer la opinión antes de esa fecha.
safety-yes = Sí
safety-no = No
safety-emergency-missing = Indique si su hijo o hija tiene alguna de estas señales en este momento.
safety-decision-missing = Indique si hay que tomar una decisión sobre el tratamiento en los próximos 7 días.
safety-stop-title = Llame al 911 ahora
safety-stop-html = <strong>Esto es una emergencia médica.</strong> Llame al 911 o vaya ahora a la sala de emergencias más cercana. No espere una segunda opinión.
safety-stop-no-case = No se abrió ningún caso. Cuando su hijo o hija esté a salvo, puede volver y abrir un caso.
safety-stop-back = Volver a sus hijos y sus casos
