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

banner-title = Tu privacidad en el soporte de { -brand }
banner-body = Usamos tus datos para atender tus solicitudes de soporte. Si nos das tu consentimiento, además grabamos las llamadas a nuestras líneas de atención, guardamos las transcripciones del chat, dejamos que nuestro centro de soporte en Singapur trabaje en tus casos, medimos cómo se usa este sitio y te enviamos novedades de productos. Puedes cambiar tus preferencias cuando quieras en «Configuración de privacidad». Encontrarás más información en nuestro { $privacy-policy }.
accept-all = Aceptar todo
reject-all = Rechazar todo
open-settings = Elegir yo mismo

## Segunda capa (configuración)

settings-title = Configuración de privacidad
settings-intro = Elige qué podemos hacer con tus datos. El soporte que nos pides funciona igual, elijas lo que elijas. Puedes retirar tu consentimiento en cualquier momento; eso no afecta a lo que hicimos antes de que lo retiraras. ¿Tienes dudas? Escríbenos a { $privacy-email }.
save-choices = Guardar mis preferencias
close = Cerrar
required-purpose = Siempre activo
privacy-settings = Configuración de privacidad
decision-saved = Hemos guardado tus preferencias.
withdraw-all = Retirar todo el consentimiento
download-receipt = Descargar mi comprobante de consentimiento
gpc-honoured = Hemos respetado la señal Global Privacy Control de tu navegador.

## Pasos de consentimiento, detalles, y la región y las normas que se muestran en el aviso

agree = Acepto
disagree = No acepto
show-details = Detalles
separate-consent-title = Tu consentimiento por separado
separate-consent-intro = Este uso de tu información necesita un consentimiento propio, aparte de tus demás elecciones. Si no aceptas, no cambia nada más.
guardian-label = Soy el padre, la madre o el tutor legal de un menor de { $age } años y tomo estas decisiones en su nombre
gpc-held-label = Desactivado por tu señal Global Privacy Control
gpc-opt-in-title = ¿Permitir este uso pese a la señal Global Privacy Control?
gpc-opt-in-intro = Tu navegador envía una señal Global Privacy Control. La respetamos como tu petición de que no vendamos ni compartamos tu información personal, y este uso está incluido en ella, así que está desactivado. Si aceptas, lo permites de todos modos en este sitio; puedes volver a desactivarlo cuando quieras. Si no aceptas, sigue desactivado.
notice-region-heading = Dónde estás y qué normas se aplican
region-label = Tu región
region-other = Otra región
region-source-site-option = indicada por este sitio
region-source-edge-header = según la ubicación de tu red
region-source-time-zone = deducida de tu zona horaria
region-source-language = deducida del idioma de tu navegador
region-source-user-selection = elegida por ti
region-source-default = desconocida, por eso se aplican las normas más estrictas
opt-out-label = Activado hasta que lo desactives
barred-for-child-label = No disponible para menores
other-regions-heading = Otras regiones
regime-reason-visitor-region = la ley del lugar donde estás
regime-reason-visitor-country = la ley de tu país
regime-reason-controller-establishment = la ley del lugar donde estamos establecidos
regime-reason-unlisted-region = las normas para las regiones que nuestro aviso no menciona
regime-reason-unknown-region = no sabemos dónde estás, así que se aplican las normas más estrictas
categories-heading = Datos personales que recogemos
category-sold = Se venden o comparten con fines publicitarios
category-not-sold = No se venden ni se comparten

## Aviso completo

full-notice-title = Aviso de privacidad del soporte de { -brand }
open-full-notice = Leer el aviso de privacidad completo
notice-version-label = Versión
purposes-heading = Para qué usamos tus datos
controller-heading = Responsable del tratamiento de tus datos
dpo-heading = Delegado de protección de datos
eu-representative-heading = Nuestro representante en la UE
china-representative-heading = Nuestro representante en China
uk-representative-heading = Nuestro representante en el Reino Unido
swiss-representative-heading = Nuestro representante en Suiza
korea-representative-heading = Nuestro representante nacional en Corea
head-label = Representada por
address-label = Dirección
email-label = Correo electrónico
phone-label = Teléfono
regime-label = Leyes de privacidad que se te aplican

## Detalles de cada finalidad

legal-basis-label = Por qué podemos hacerlo
retention-label = Cuánto tiempo lo conservamos
recipients-label = Quién lo recibe
processors-label = Proveedores que trabajan para nosotros
third-parties-label = Otras empresas que lo reciben
transfers-label = Enviado a otros países
data-categories-label = Datos que usamos
channels-label = Dónde los recogemos
sensitive-label = Incluye datos personales sensibles
separate-consent-label = Te lo pedimos por separado
sold-or-shared-label = Compartido con fines publicitarios (puedes negarte)
legitimate-interest-label = Nuestro interés legítimo
automated-decision-label = Decisiones automatizadas
sensitive-impact-label = Por qué necesitamos datos sensibles

legal-basis-consent = Tu consentimiento
legal-basis-contract = Es necesario para darte el soporte que pediste
legal-basis-legal-obligation = Lo exige la ley
legal-basis-legitimate-interests = Nuestro interés legítimo

## Finalidades (identificadores de notice.toml)

purpose-service-delivery-name = Atender tus solicitudes de soporte
purpose-service-delivery-description = Cuando llamas a nuestra línea internacional o a nuestra línea posventa en China, chateas con nosotros, escribes a nuestro buzón global de soporte o usas este sitio, usamos tus datos de contacto, el producto y el número de serie que nos indicas y lo que nos cuentas sobre el problema. Lo necesitamos para ayudarte, comprobar tu garantía y hacer el seguimiento hasta resolver el problema, así que sin estos datos no podemos ayudarte. Los conservamos { $retention } después de cerrar tu solicitud, porque las consultas de garantía pueden repetirse.

purpose-hotline-call-recording-name = Grabar las llamadas
purpose-hotline-call-recording-description = Si nos das tu consentimiento, grabamos tus llamadas a nuestras líneas de atención para poder comprobar lo acordado y formar a nuestros ingenieros de soporte. Si dices que no, atendemos tu llamada igualmente, solo que sin grabarla. Las grabaciones se borran a los { $retention }.

purpose-chat-transcript-name = Guardar las transcripciones del chat
purpose-chat-transcript-description = Si nos das tu consentimiento, guardamos la transcripción de tu chat para enviarte una copia y retomar la conversación donde la dejamos cuando vuelvas a contactarnos. Si dices que no, la transcripción se borra al terminar el chat. Conservamos las transcripciones durante { $retention }.

purpose-cross-border-transfer-name = Ayuda de nuestro centro de soporte en Singapur
purpose-cross-border-transfer-description = Algunos problemas requieren a los expertos del { -gtac } en Singapur. Si lo aceptas por separado, les enviamos tu caso: tus datos de contacto, los datos de tu producto y la descripción del problema. Las garantías que protegen la transferencia en tu caso se indican en los detalles más abajo. Puedes pedir al centro que te muestre, corrija o borre tus datos mediante nuestro { $data-request }, o escribirle a { $gtac-email }. Si dices que no, tu caso lo llevan nuestros equipos locales, lo que puede tardar más en problemas complejos. Conservamos los casos transferidos durante { $retention }.

purpose-service-analytics-name = Mejorar este sitio
purpose-service-analytics-description = Si nos das tu consentimiento, contamos qué páginas de ayuda se leen y qué se busca en este sitio para mejorar nuestras respuestas. Un servicio de medición que trabaja para nosotros recoge estos datos y los conserva { $retention }.

purpose-marketing-name = Novedades de productos y nuestros anuncios
purpose-marketing-description = Si nos das tu consentimiento, te enviamos correos sobre actualizaciones de firmware, nuevos productos y eventos, y permitimos que una red publicitaria reconozca tu dirección de correo para mostrarte nuestros anuncios en otros sitios web. Cada correo incluye un enlace para darte de baja. Conservamos tu suscripción hasta que te des de baja y la borramos { $retention } después de la última vez que abriste uno de nuestros correos.

## Datos que usamos (categorías de notice.toml)

data-category-contact-details = Nombre, correo electrónico y número de teléfono
data-category-product-details = Modelo y número de serie del producto
data-category-support-request = Lo que nos cuentas sobre el problema
data-category-call-audio = Grabaciones de tus llamadas
data-category-phone-number = El número desde el que llamas
data-category-chat-messages = Tus mensajes del chat
data-category-usage-data = Páginas que lees y búsquedas que haces en este sitio
data-category-device-details = Tipo de navegador y de dispositivo
data-category-marketing-preferences = Qué novedades quieres recibir

## Dónde los recogemos (canales)

channel-hotline = Líneas telefónicas de atención
channel-chat = Chat en línea
channel-mailbox = Buzón de soporte
channel-web = Este sitio web

## Transferencias al extranjero

country-SG = Singapur
safeguard-pipl-standard-contract = Contrato tipo para la salida de datos personales de China
safeguard-eu-scc = Cláusulas contractuales tipo de la Comisión Europea

## Tus derechos

rights-heading = Tus derechos
rights-how = Para ejercer cualquiera de estos derechos, rellena nuestro { $data-request } o escribe a { $privacy-email }. Te respondemos en un plazo de { $deadline } y no te cuesta nada.
right-access = Ver los datos que tenemos sobre ti y obtener una copia.
right-rectification = Hacer corregir datos erróneos o incompletos.
right-erasure = Hacer borrar tus datos.
right-restriction = Hacer que dejemos de usar tus datos durante un tiempo, por ejemplo mientras revisamos una reclamación.
right-objection = Oponerte a que usemos tus datos cuando nos basamos en nuestro interés legítimo.
right-portability = Recibir tus datos en un formato habitual para llevarlos a otro lugar.
right-withdraw-consent = Retirar tu consentimiento en cualquier momento, tan fácilmente como lo diste. Esto no afecta a lo que hicimos antes.
right-explanation = Pedirnos que expliquemos cómo tratamos tus datos.
right-opt-out-of-sale = Negarte a la venta o el intercambio de tus datos y a la publicidad dirigida (leyes de privacidad de los estados de EE. UU.).
right-non-discrimination = No te trataremos peor por ejercer tus derechos.
right-sharing-information = Saber con qué empresas hemos compartido tus datos.
right-anonymisation = Hacer anonimizar o bloquear los datos innecesarios o excesivos.
right-refusal-information = Saber que puedes negarte a dar tu consentimiento y qué pasa si lo haces: el soporte funciona igual.

## Reclamaciones

complaints-heading = Reclamaciones
complaint-eu-gdpr = Si vives en la UE, puedes presentar una reclamación ante la autoridad de protección de datos de tu país: consulta la { $eu-authorities }.
complaint-br-lgpd = Si vives en Brasil, puedes presentar una reclamación ante la Autoridad Nacional de Protección de Datos (ANPD): consulta el { $anpd }.

## Leyes de privacidad (regiones de notice.toml)

regime-eu-gdpr = Reglamento General de Protección de Datos de la UE (RGPD)
regime-cn-pipl = Ley de Protección de Información Personal de China (PIPL)
regime-us-ca-ccpa = Ley de Privacidad del Consumidor de California (CCPA/CPRA)
regime-br-lgpd = Ley General de Protección de Datos de Brasil (LGPD)
regime-apec-cbpr = Marco de Privacidad de APEC
gpc-statement = Si tu navegador envía la señal Global Privacy Control, la tratamos como tu petición de que no vendamos ni compartamos tus datos, para este navegador y sin pedirte nada más.

## Textos de los enlaces (enlaces de notice.toml)

link-privacy-policy = política de privacidad
link-data-request = formulario de solicitudes de privacidad
link-do-not-sell = No vender ni compartir mi información personal
link-eu-authorities = lista de autoridades de protección de datos de la UE
link-anpd = sitio web de la ANPD

## Added with the multi-regime notice (regimes, complaints, rights, safeguards, links)

legal-basis-opt-out = Te lo informamos y puedes desactivarlo cuando quieras
safeguard-uk-idta = Acuerdo Internacional de Transferencia de Datos del Reino Unido
safeguard-lgpd-scc = Cláusulas contractuales tipo de la Autoridad Nacional de Protección de Datos de Brasil (ANPD)
safeguard-apec-cbpr = La certificación del centro conforme a las Reglas de Privacidad Transfronteriza de APEC
right-appeal = Recurrir si rechazamos tu solicitud; te comunicamos el resultado y cómo reclamar (leyes de privacidad de los estados de EE. UU.).
right-nominate = Designar a una persona que ejerza estos derechos por ti si fallecieras o quedaras incapacitado para hacerlo (India).
complaint-uk-gdpr = Si vives en el Reino Unido, puedes presentar una reclamación ante la Oficina del Comisionado de Información (ICO): { $ico }.
complaint-ch-fadp = Si vives en Suiza, puedes presentar una reclamación ante el Comisionado Federal de Protección de Datos y Transparencia (FDPIC): { $fdpic }.
complaint-cn-pipl = Puedes denunciar un problema con el tratamiento de tus datos personales ante la Administración del Ciberespacio de China: { $cac }.
complaint-jp-appi = Si vives en Japón, puedes pedir ayuda a la Comisión de Protección de la Información Personal (PPC): { $ppc }.
complaint-kr-pipa = Si vives en Corea, puedes denunciar una infracción o solicitar una mediación ante la Comisión de Protección de la Información Personal (PIPC): { $pipc }.
complaint-in-dpdp = Si vives en la India y no resolvemos tu queja, puedes reclamar ante la Junta de Protección de Datos de la India: { $dpb }.
complaint-ca-pipeda = Si vives en Canadá, puedes presentar una queja ante la Oficina del Comisionado de Privacidad de Canadá: { $opc }.
complaint-ca-qc-law25 = Si vives en Quebec, puedes presentar una queja ante la Comisión de Acceso a la Información (CAI): { $cai }.
complaint-us-ca-ccpa = Si vives en California, puedes presentar una queja ante la Agencia de Protección de la Privacidad de California: { $cppa }.
complaint-us-va-vcdpa = Si vives en Virginia y rechazamos tu recurso, puedes dirigirte al Fiscal General de Virginia: { $virginia-ag }.
complaint-us-co-cpa = Si vives en Colorado y rechazamos tu recurso, puedes dirigirte al Fiscal General de Colorado: { $colorado-ag }.
complaint-us-ct-ctdpa = Si vives en Connecticut y rechazamos tu recurso, puedes dirigirte al Fiscal General de Connecticut: { $connecticut-ag }.
complaint-us-tx-tdpsa = Si vives en Texas y rechazamos tu recurso, puedes dirigirte al Fiscal General de Texas: { $texas-ag }.
complaint-us-or-ocpa = Si vives en Oregón y rechazamos tu recurso, puedes dirigirte al Departamento de Justicia de Oregón: { $oregon-doj }.
regime-uk-gdpr = Reglamento General de Protección de Datos del Reino Unido y Ley de Protección de Datos de 2018 (RGPD del Reino Unido)
regime-ch-fadp = Ley Federal Suiza de Protección de Datos (LPD)
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
