### Aviso de privacidad del sitio de soporte de Lumenwave: español.
### Los mensajes deben coincidir con los de en.ftl. Marcadores:
###   { -brand }, { -gtac }     nombres, definidos una sola vez aquí abajo
###   { $privacy-policy } …     enlaces de [links] en notice.toml; el texto del enlace es link-<nombre>

-brand = Lumenwave
-gtac = Centro Global de Asistencia Técnica de { -brand }

## Selector de idioma

language-name = Español
language-label = Idioma

## Primera capa (aviso)

banner-title = Su privacidad en el servicio de asistencia de { -brand }
banner-body = Utilizamos sus datos para atender sus solicitudes de asistencia. Si lo acepta, además grabamos las llamadas a nuestras líneas de atención, conservamos las transcripciones del chat, permitimos que nuestro centro de asistencia en Singapur trabaje en sus incidencias, medimos cómo se utiliza este sitio y le enviamos novedades sobre nuestros productos. Puede cambiar sus preferencias en cualquier momento en «Configuración de privacidad». Encontrará más información en nuestra { $privacy-policy }.
accept-all = Aceptar todo
reject-all = Rechazar todo
open-settings = Configurar

## Segunda capa (configuración)

settings-title = Configuración de privacidad
settings-intro = Elija qué podemos hacer con sus datos. La asistencia que solicita funciona igual, elija lo que elija. Puede retirar su consentimiento en cualquier momento; ello no afecta a lo que hicimos antes de que lo retirara. ¿Tiene alguna pregunta? Escríbanos a { $privacy-email }.
save-choices = Guardar mis preferencias
close = Cerrar
required-purpose = Siempre activo
privacy-settings = Configuración de privacidad
decision-saved = Se han guardado sus preferencias.
withdraw-all = Retirar todos los consentimientos
download-receipt = Descargar mi comprobante de consentimiento
gpc-honoured = Se ha respetado la señal Global Privacy Control de su navegador.

## Pasos de consentimiento, detalles, y la región y las normas que se muestran en el aviso

agree = Acepto
disagree = No acepto
show-details = Detalles
separate-consent-title = Su consentimiento por separado
separate-consent-intro = Este uso de sus datos requiere un consentimiento propio, independiente de sus demás preferencias. Si no lo acepta, no cambia nada más.
separate-consent-step = Paso { $step } de { $steps }
separate-consent-waiting = Algunas preguntas sobre su consentimiento por separado siguen pendientes de respuesta.
separate-consent-resume = Responder ahora
guardian-label = Soy el padre, la madre o la persona que ejerce la tutela de un menor de { $age } años y tomo estas decisiones en su nombre
gpc-held-label = Desactivado por la señal Global Privacy Control de su navegador
gpc-opt-in-title = ¿Permitir este uso pese a la señal Global Privacy Control?
gpc-opt-in-intro = Su navegador envía una señal Global Privacy Control. La respetamos como su solicitud de que no vendamos ni compartamos su información personal, y este uso está comprendido en ella, por lo que está desactivado. Si acepta, lo permite igualmente en este sitio; puede volver a desactivarlo en cualquier momento. Si no acepta, sigue desactivado.
notice-region-heading = Dónde se encuentra y qué normas se aplican
region-label = Su región
region-other = Otra región
region-source-site-option = indicada por este sitio
region-source-edge-header = según la ubicación de su red
region-source-time-zone = deducida de su zona horaria
region-source-language = deducida del idioma de su navegador
region-source-user-selection = elegida por usted
region-source-default = desconocida, por lo que se aplican las normas más estrictas
opt-out-label = Activado hasta que lo desactive
barred-for-child-label = No disponible para menores
other-regions-heading = Otras regiones
regime-reason-visitor-region = la ley del lugar donde se encuentra
regime-reason-visitor-country = la ley de su país
regime-reason-controller-establishment = la ley del lugar donde estamos establecidos
regime-reason-unlisted-region = las normas para las regiones que no figuran en nuestro aviso
regime-reason-unknown-region = no conocemos su región, por lo que se aplican las normas más estrictas
categories-heading = Datos personales que recogemos
category-sold = Se venden o se comparten con fines publicitarios
category-not-sold = No se venden ni se comparten
request-heading = Hacer una solicitud sobre sus datos
request-kind-label = ¿Qué solicita?
request-details-label = Detalles (opcional, 1000 caracteres como máximo)
request-send = Enviar mi solicitud
request-sending = Enviando su solicitud…
request-sent = Hemos recibido su solicitud.
request-id-label = Número de solicitud
request-deadline-label = Respondemos a más tardar el
request-failed = No se pudo enviar su solicitud. Lo que escribió sigue aquí: vuelva a intentarlo.
request-needs-receipt = Una solicitud remite a su último recibo de consentimiento, y todavía no hay ninguno registrado. Guarde primero sus opciones y luego envíe su solicitud.
request-pick-kind = Elija primero qué solicita.

## Aviso completo

full-notice-title = Aviso de privacidad del servicio de asistencia de { -brand }
open-full-notice = Leer el aviso de privacidad completo
notice-version-label = Versión
purposes-heading = Para qué utilizamos sus datos
controller-heading = Responsable del tratamiento de sus datos
dpo-heading = Delegado de protección de datos
eu-representative-heading = Nuestro representante en la UE
china-representative-heading = Nuestro representante en China
uk-representative-heading = Nuestro representante en el Reino Unido
swiss-representative-heading = Nuestro representante en Suiza
korea-representative-heading = Nuestro agente nacional en Corea
head-label = Representada por
address-label = Dirección
email-label = Correo electrónico
phone-label = Teléfono
regime-label = Leyes de protección de datos que se le aplican

## Detalles de cada finalidad

legal-basis-label = Por qué podemos hacerlo
retention-label = Plazo de conservación
recipients-label = Destinatarios
processors-label = Proveedores que trabajan para nosotros (encargados del tratamiento)
third-parties-label = Otras empresas que los reciben
transfers-label = Se envían a otros países
data-categories-label = Datos que utilizamos
channels-label = Dónde los recogemos
sensitive-label = Incluye datos personales sensibles
separate-consent-label = Se lo pedimos por separado
sold-or-shared-label = Se comparten con fines publicitarios (puede pedir que no se compartan)
legitimate-interest-label = Nuestro interés legítimo
automated-decision-label = Decisiones automatizadas
sensitive-impact-label = Por qué necesitamos datos sensibles

legal-basis-consent = Su consentimiento
legal-basis-contract = Necesario para prestarle la asistencia que solicitó
legal-basis-legal-obligation = Lo exige la ley
legal-basis-legitimate-interests = Nuestros intereses legítimos

## Finalidades (identificadores de notice.toml)

purpose-service-delivery-name = Atender sus solicitudes de asistencia
purpose-service-delivery-description = Cuando llama a nuestra línea internacional de atención o a nuestra línea posventa en China, chatea con nosotros, escribe a nuestro buzón global de asistencia o utiliza este sitio, tratamos sus datos de contacto, el producto y el número de serie que nos indica y lo que nos escribe o cuenta sobre el problema. Necesitamos estos datos para ayudarle, comprobar su garantía y hacer el seguimiento hasta que se resuelva el problema, por lo que sin ellos no podemos ayudarle. Los conservamos durante { $retention } después del cierre de su solicitud, porque pueden volver a surgir cuestiones de garantía.

purpose-hotline-call-recording-name = Grabación de las llamadas
purpose-hotline-call-recording-description = Si lo acepta, grabamos sus llamadas a nuestras líneas de atención para poder comprobar lo acordado y formar a nuestros ingenieros de asistencia. Si no lo acepta, atendemos igualmente su llamada, pero sin grabarla. Las grabaciones se borran a los { $retention }.

purpose-chat-transcript-name = Conservación de las transcripciones del chat
purpose-chat-transcript-description = Si lo acepta, conservamos la transcripción de su chat para poder enviarle una copia y retomar la conversación donde la dejamos cuando vuelva a ponerse en contacto con nosotros. Si no lo acepta, la transcripción se borra al terminar el chat. Conservamos las transcripciones durante { $retention }.

purpose-cross-border-transfer-name = Ayuda de nuestro centro de asistencia en Singapur
purpose-cross-border-transfer-description = Algunos problemas requieren la intervención de los expertos del { -gtac } en Singapur. Si lo acepta por separado, les enviamos su incidencia: sus datos de contacto, los datos de su producto y la descripción del problema. Las garantías que protegen la transferencia en su caso se indican en los detalles más abajo. Puede pedir al centro que le dé acceso a sus datos, los rectifique o los suprima mediante nuestro { $data-request }, o escribirle a { $gtac-email }. Si no lo acepta, su incidencia la gestionan nuestros equipos locales, lo que puede llevar más tiempo en los problemas complejos. Conservamos las incidencias transferidas durante { $retention }.

purpose-service-analytics-name = Mejora de este sitio
purpose-service-analytics-description = Si lo acepta, contabilizamos qué páginas de ayuda se leen y qué se busca en este sitio para poder mejorar nuestras respuestas. Un servicio de medición que trabaja para nosotros recoge estos datos y los conserva { $retention }.

purpose-marketing-name = Novedades sobre productos y nuestros anuncios
purpose-marketing-description = Si lo acepta, le enviamos correos electrónicos sobre actualizaciones de firmware, nuevos productos y eventos, y permitimos que una red publicitaria reconozca su dirección de correo electrónico para mostrarle nuestros anuncios en otros sitios web. Cada correo incluye un enlace para darse de baja. Conservamos su suscripción hasta que se dé de baja y la suprimimos { $retention } después de la última vez que abrió uno de nuestros correos.

## Guion de la línea telefónica (el agente lo lee a quien llama; { $code } es el código del comprobante de la llamada)

hotline-script-opening = Gracias por llamar al servicio de asistencia de { -brand }. Antes de empezar, le haré algunas preguntas sobre cómo podemos utilizar sus datos. Puede decir que no a cualquiera de ellas, y eso no afecta a la asistencia que recibe. Puede cambiar de opinión en cualquier momento, llamándonos de nuevo o en «Configuración de privacidad» en nuestro sitio web.
hotline-script-purpose-service-delivery = Para ayudarle, tratamos su nombre y sus datos de contacto, el modelo y el número de serie de su producto y lo que nos cuenta sobre el problema. Los necesitamos para atender su solicitud, comprobar su garantía y hacer el seguimiento hasta que se resuelva el problema. Los conservamos durante { $retention } después del cierre de su solicitud.
hotline-script-purpose-hotline-call-recording = ¿Acepta que grabemos esta llamada? Utilizamos la grabación solo para comprobar lo acordado y formar a nuestros ingenieros de asistencia, y la borramos a los { $retention }. Si no lo acepta, le ayudamos igualmente, pero sin grabar la llamada.
hotline-script-purpose-cross-border-transfer = Algunos problemas requieren la intervención de los expertos del { -gtac } en Singapur. ¿Acepta que les enviemos su incidencia, con sus datos de contacto, los datos de su producto y la descripción del problema? Si no lo acepta, su incidencia la gestionan nuestros equipos locales, lo que puede llevar más tiempo en los problemas complejos.
hotline-script-purpose-cross-border-transfer-separate = La siguiente pregunta se refiere a su consentimiento por separado, y se la hago aparte, independientemente de sus demás respuestas. ¿Acepta que enviemos su incidencia, con sus datos de contacto, los datos de su producto y la descripción del problema, al { -gtac } en Singapur, para que sus expertos ayuden a resolverla? Puede escribir al centro a { $gtac-email } para acceder a sus datos, rectificarlos o suprimirlos. Si no lo acepta, no cambia nada más: sus demás respuestas siguen igual y nuestros equipos locales gestionan su incidencia.
hotline-script-closing = Gracias, he registrado sus respuestas. El código de su comprobante es { $code }. Con este código puede consultar sus respuestas en { $receipt-lookup }.

## Datos que usamos (categorías de notice.toml)

data-category-contact-details = Nombre, dirección de correo electrónico y número de teléfono
data-category-product-details = Modelo y número de serie del producto
data-category-support-request = Lo que nos cuenta sobre el problema
data-category-call-audio = Grabaciones de sus llamadas
data-category-phone-number = El número desde el que llama
data-category-chat-messages = Sus mensajes del chat
data-category-usage-data = Páginas que lee y búsquedas que realiza en este sitio
data-category-device-details = Tipo de navegador y de dispositivo
data-category-marketing-preferences = Qué novedades desea recibir

## Dónde los recogemos (canales)

channel-hotline = Líneas telefónicas de atención
channel-chat = Chat en línea
channel-mailbox = Buzón de asistencia
channel-web = Este sitio web

## Transferencias al extranjero

country-SG = Singapur
safeguard-pipl-standard-contract = Contrato tipo para la transferencia de información personal fuera de China
safeguard-eu-scc = Cláusulas contractuales tipo de la Comisión Europea

## Tus derechos

rights-heading = Sus derechos
rights-how = Para ejercer cualquiera de estos derechos, rellene nuestro { $data-request } o escriba a { $privacy-email }. Le responderemos en un plazo de { $deadline }, de forma gratuita.
right-access = Acceder a los datos que tenemos sobre usted y obtener una copia de ellos.
right-rectification = Obtener la rectificación de los datos inexactos o incompletos.
right-erasure = Obtener la supresión de sus datos.
right-restriction = Obtener la limitación del tratamiento de sus datos, es decir, que dejemos de utilizarlos durante un tiempo, por ejemplo mientras examinamos una reclamación.
right-objection = Oponerse a que utilicemos sus datos cuando nos basamos en nuestros intereses legítimos.
right-portability = Recibir sus datos en un formato de uso común para llevarlos a otro lugar.
right-withdraw-consent = Retirar su consentimiento en cualquier momento, con la misma facilidad con que lo dio. Ello no afecta a lo que hicimos antes.
right-explanation = Pedirnos que le expliquemos cómo tratamos sus datos.
right-opt-out-of-sale = Pedir que no vendamos ni compartamos sus datos ni los utilicemos para publicidad dirigida (leyes de privacidad de los estados de EE. UU.).
right-non-discrimination = No recibirá un trato menos favorable por ejercer sus derechos.
right-sharing-information = Saber con qué empresas hemos compartido sus datos.
right-anonymisation = Obtener la anonimización o el bloqueo de los datos innecesarios o excesivos.
right-refusal-information = Saber que puede negarse a dar su consentimiento y qué ocurre si lo hace: la asistencia funciona en cualquier caso.

## Reclamaciones

complaints-heading = Reclamaciones
complaint-eu-gdpr = Si reside en la UE, puede presentar una reclamación ante la autoridad de protección de datos de su país: consulte la { $eu-authorities }.
complaint-br-lgpd = Si reside en Brasil, puede presentar una reclamación ante la Autoridad Nacional de Protección de Datos (ANPD): consulte el { $anpd }.

## Leyes de privacidad (regiones de notice.toml)

regime-eu-gdpr = Reglamento General de Protección de Datos de la UE (RGPD)
regime-cn-pipl = Ley de Protección de la Información Personal de China (PIPL)
regime-us-ca-ccpa = Ley de Privacidad del Consumidor de California (CCPA/CPRA)
regime-br-lgpd = Ley General de Protección de Datos Personales de Brasil (LGPD)
regime-apec-cbpr = Marco de Privacidad de APEC
gpc-statement = Si su navegador envía la señal Global Privacy Control, la tratamos como su solicitud de que no vendamos ni compartamos sus datos, para ese navegador y sin pedirle nada más.

## Textos de los enlaces (enlaces de notice.toml)

link-privacy-policy = política de privacidad
link-data-request = formulario de ejercicio de derechos
link-receipt-lookup = support.example.com/privacy/receipt
link-do-not-sell = No vender ni compartir mi información personal
link-eu-authorities = lista de autoridades de protección de datos de la UE
link-anpd = sitio web de la ANPD

## Añadidos con el aviso para varios regímenes (leyes, reclamaciones, derechos, garantías, enlaces)

legal-basis-opt-out = Le informamos de ello y puede desactivarlo en cualquier momento
safeguard-uk-idta = Acuerdo Internacional de Transferencia de Datos del Reino Unido
safeguard-lgpd-scc = Cláusulas contractuales tipo de la Autoridad Nacional de Protección de Datos de Brasil (ANPD)
safeguard-apec-cbpr = La certificación del centro conforme a las Reglas de Privacidad Transfronteriza de APEC
right-appeal = Recurrir si rechazamos su solicitud; le comunicaremos el resultado y cómo presentar una reclamación (leyes de privacidad de los estados de EE. UU.).
right-nominate = Designar a una persona que ejerza estos derechos en su nombre en caso de fallecimiento o incapacidad (India).
complaint-uk-gdpr = Si reside en el Reino Unido, puede presentar una reclamación ante la Oficina del Comisionado de Información (ICO): { $ico }.
complaint-ch-fadp = Si reside en Suiza, puede presentar una reclamación ante el Comisionado Federal de Protección de Datos y Transparencia (FDPIC): { $fdpic }.
complaint-cn-pipl = Puede denunciar un problema en el tratamiento de sus datos personales ante la Administración del Ciberespacio de China: { $cac }.
complaint-jp-appi = Si reside en Japón, puede pedir ayuda a la Comisión de Protección de la Información Personal (PPC): { $ppc }.
complaint-kr-pipa = Si reside en Corea, puede denunciar una vulneración o solicitar una mediación ante la Comisión de Protección de la Información Personal (PIPC): { $pipc }.
complaint-in-dpdp = Si reside en la India y no resolvemos su queja, puede presentar una reclamación ante la Junta de Protección de Datos de la India: { $dpb }.
complaint-ca-pipeda = Si reside en Canadá, puede presentar una queja ante la Oficina del Comisionado de Privacidad de Canadá: { $opc }.
complaint-ca-qc-law25 = Si reside en Quebec, puede presentar una queja ante la Comisión de Acceso a la Información (CAI): { $cai }.
complaint-us-ca-ccpa = Si reside en California, puede presentar una queja ante la Agencia de Protección de la Privacidad de California: { $cppa }.
complaint-us-va-vcdpa = Si reside en Virginia y rechazamos su recurso, puede dirigirse al Fiscal General de Virginia: { $virginia-ag }.
complaint-us-co-cpa = Si reside en Colorado y rechazamos su recurso, puede dirigirse al Fiscal General de Colorado: { $colorado-ag }.
complaint-us-ct-ctdpa = Si reside en Connecticut y rechazamos su recurso, puede dirigirse al Fiscal General de Connecticut: { $connecticut-ag }.
complaint-us-tx-tdpsa = Si reside en Texas y rechazamos su recurso, puede dirigirse al Fiscal General de Texas: { $texas-ag }.
complaint-us-or-ocpa = Si reside en Oregón y rechazamos su recurso, puede dirigirse al Departamento de Justicia de Oregón: { $oregon-doj }.
regime-uk-gdpr = Reglamento General de Protección de Datos del Reino Unido y Ley de Protección de Datos de 2018 (RGPD del Reino Unido)
regime-ch-fadp = Ley Federal de Protección de Datos de Suiza (LPD)
regime-jp-appi = Ley de Protección de la Información Personal de Japón (APPI)
regime-kr-pipa = Ley de Protección de la Información Personal de Corea (PIPA)
regime-in-dpdp = Ley de Protección de Datos Personales Digitales de 2023 de la India (DPDP)
regime-ca-pipeda = Ley de Protección de la Información Personal y los Documentos Electrónicos de Canadá (PIPEDA)
regime-ca-qc-law25 = Ley sobre la protección de la información personal en el sector privado de Quebec (Ley 25)
regime-us-va-vcdpa = Ley de Protección de Datos del Consumidor de Virginia
regime-us-co-cpa = Ley de Privacidad de Colorado
regime-us-ct-ctdpa = Ley de Privacidad de Datos de Connecticut
regime-us-tx-tdpsa = Ley de Privacidad y Seguridad de Datos de Texas
regime-us-or-ocpa = Ley de Privacidad del Consumidor de Oregón
link-ico = ico.org.uk
link-fdpic = edoeb.admin.ch
link-cac = 12377.cn
link-ppc = ppc.go.jp
link-pipc = privacy.go.kr
link-dpb = dpb.gov.in
link-opc = priv.gc.ca
link-cai = cai.gouv.qc.ca
link-cppa = cppa.ca.gov
link-virginia-ag = oag.state.va.us
link-colorado-ag = coag.gov
link-connecticut-ag = portal.ct.gov/ag
link-texas-ag = texasattorneygeneral.gov
link-oregon-doj = doj.state.or.us
