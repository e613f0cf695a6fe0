### Avis de confidentialité du site d’assistance Lumenwave : français.
### Les messages doivent correspondre à ceux de en.ftl. Éléments variables :
###   { -brand }, { -gtac }     noms, définis une seule fois ci-dessous
###   { $privacy-policy } …     liens de [links] dans notice.toml ; le texte du lien est link-<nom>

-brand = Lumenwave
-gtac = Centre mondial d’assistance technique de { -brand }

## Choix de la langue

language-name = Français
language-label = Langue

## Premier niveau (bandeau)

banner-title = Votre vie privée auprès de l’assistance { -brand }
banner-body = Nous utilisons vos données pour répondre à vos demandes d’assistance. Si vous l’acceptez, nous enregistrons aussi les appels passés à nos lignes d’assistance, conservons les transcriptions de vos échanges par chat, confions vos dossiers à notre centre d’assistance de Singapour, mesurons l’utilisation de ce site et vous envoyons des nouvelles de nos produits. Vous pouvez modifier vos choix à tout moment dans « Paramètres de confidentialité ». Pour en savoir plus, consultez notre { $privacy-policy }.
accept-all = Tout accepter
reject-all = Tout refuser
open-settings = Personnaliser mes choix

## Deuxième niveau (paramètres)

settings-title = Paramètres de confidentialité
settings-intro = Choisissez ce que nous pouvons faire de vos données. L’assistance que vous demandez fonctionne quel que soit votre choix. Vous pouvez retirer votre consentement à tout moment ; ce retrait ne remet pas en cause ce que nous avons fait auparavant. Une question ? Écrivez-nous à { $privacy-email }.
save-choices = Enregistrer mes choix
close = Fermer
required-purpose = Toujours actif
privacy-settings = Paramètres de confidentialité
decision-saved = Vos choix ont été enregistrés.
withdraw-all = Retirer tous mes consentements
download-receipt = Télécharger mon justificatif de consentement
gpc-honoured = Le signal Global Privacy Control de votre navigateur a été pris en compte.

## Étapes de consentement, détails, région et règles indiquées dans l’avis

agree = J’accepte
disagree = Je n’accepte pas
show-details = Détails
separate-consent-title = Votre consentement distinct
separate-consent-intro = Cette utilisation de vos données nécessite un consentement distinct, indépendant de vos autres choix. Si vous n’acceptez pas, rien d’autre ne change.
separate-consent-step = Étape { $step } sur { $steps }
separate-consent-waiting = Des demandes de consentement que nous vous posons séparément attendent encore votre réponse.
separate-consent-resume = Y répondre maintenant
guardian-label = Je suis le parent, le tuteur ou la tutrice d’un enfant de moins de { $age } ans et je fais ces choix en son nom
gpc-held-label = Désactivé en raison de votre signal Global Privacy Control
gpc-opt-in-title = Autoriser cette utilisation malgré le signal Global Privacy Control ?
gpc-opt-in-intro = Votre navigateur envoie un signal Global Privacy Control. Nous le traitons comme une demande de votre part de ne pas vendre ni partager vos informations personnelles ; cette utilisation en relève, elle est donc désactivée. Si vous acceptez, vous l’autorisez malgré tout sur ce site ; vous pourrez la désactiver de nouveau à tout moment. Si vous n’acceptez pas, elle reste désactivée.
notice-region-heading = Où vous vous trouvez et quelles règles s’appliquent
region-label = Votre région
region-other = Autre région
region-source-site-option = indiquée par ce site
region-source-edge-header = d’après l’emplacement de votre réseau
region-source-time-zone = déduite de votre fuseau horaire
region-source-language = déduite de la langue de votre navigateur
region-source-user-selection = choisie par vous
region-source-default = inconnue : les règles les plus strictes s’appliquent
opt-out-label = Activé jusqu’à ce que vous le désactiviez
barred-for-child-label = Non proposé aux enfants
other-regions-heading = Autres régions
regime-reason-visitor-region = la loi du lieu où vous vous trouvez
regime-reason-visitor-country = la loi de votre pays
regime-reason-controller-establishment = la loi du lieu où nous sommes établis
regime-reason-unlisted-region = les règles applicables aux régions que notre notice ne mentionne pas
regime-reason-unknown-region = votre région n’est pas connue, les règles les plus strictes s’appliquent donc
categories-heading = Données personnelles que nous collectons
category-sold = Vendues ou partagées à des fins publicitaires
category-not-sold = Ni vendues ni partagées
request-heading = Faire une demande sur vos données
request-kind-label = Que demandez-vous ?
request-details-label = Précisions (facultatif, 1000 caractères au plus)
request-send = Envoyer ma demande
request-sending = Envoi de votre demande…
request-sent = Nous avons bien reçu votre demande.
request-id-label = Numéro de la demande
request-deadline-label = Nous répondons au plus tard le
request-failed = Votre demande n’a pas pu être envoyée. Ce que vous avez écrit est conservé ici : veuillez réessayer.
request-needs-receipt = Une demande renvoie à votre dernier reçu de consentement, et aucun n’est encore enregistré. Enregistrez d’abord vos choix, puis envoyez votre demande.
request-pick-kind = Choisissez d’abord ce que vous demandez.

## Avis complet

full-notice-title = Notice d’information sur vos données personnelles – Assistance { -brand }
open-full-notice = Lire la notice d’information complète
notice-version-label = Version
purposes-heading = Ce que nous faisons de vos données
controller-heading = Responsable du traitement de vos données
dpo-heading = Délégué à la protection des données
eu-representative-heading = Notre représentant dans l’UE
china-representative-heading = Notre représentant en Chine
uk-representative-heading = Notre représentant au Royaume-Uni
swiss-representative-heading = Notre représentant en Suisse
korea-representative-heading = Notre représentant local en Corée
head-label = Représentée par
address-label = Adresse
email-label = E-mail
phone-label = Téléphone
regime-label = Lois sur la protection des données qui vous sont applicables

## Détails de chaque finalité

legal-basis-label = Ce qui nous autorise à le faire
retention-label = Durée de conservation
recipients-label = Destinataires
processors-label = Prestataires agissant pour notre compte (sous-traitants)
third-parties-label = Autres entreprises qui les reçoivent
transfers-label = Transférées vers d’autres pays
data-categories-label = Données utilisées
channels-label = Où nous les collectons
sensitive-label = Comprend des données personnelles sensibles
separate-consent-label = Nous vous le demandons séparément
sold-or-shared-label = Partagées à des fins publicitaires (vous pouvez refuser ce partage)
legitimate-interest-label = Notre intérêt légitime
automated-decision-label = Décisions automatisées
sensitive-impact-label = Pourquoi nous avons besoin de données sensibles

legal-basis-consent = Votre consentement
legal-basis-contract = Nécessaire pour vous fournir l’assistance demandée
legal-basis-legal-obligation = Imposé par la loi
legal-basis-legitimate-interests = Nos intérêts légitimes

## Finalités (identifiants de notice.toml)

purpose-service-delivery-name = Répondre à vos demandes d’assistance
purpose-service-delivery-description = Lorsque vous appelez notre ligne d’assistance internationale ou notre ligne après-vente en Chine, échangez avec nous par chat, écrivez à notre adresse d’assistance mondiale ou utilisez ce site, nous utilisons vos coordonnées, le produit et le numéro de série que vous nous indiquez ainsi que ce que vous nous écrivez ou dites du problème. Nous en avons besoin pour vous aider, vérifier votre garantie et assurer le suivi jusqu’à la résolution du problème : sans ces données, nous ne pouvons pas vous aider. Nous les conservons { $retention } après la clôture de votre demande, car des questions de garantie peuvent se poser à nouveau.

purpose-hotline-call-recording-name = Enregistrer les appels
purpose-hotline-call-recording-description = Si vous l’acceptez, nous enregistrons vos appels à nos lignes d’assistance afin de pouvoir vérifier ce qui a été convenu et de former nos ingénieurs d’assistance. Si vous refusez, nous prenons votre appel quand même, simplement sans l’enregistrer. Les enregistrements sont supprimés au bout de { $retention }.

purpose-chat-transcript-name = Conserver les transcriptions de chat
purpose-chat-transcript-description = Si vous l’acceptez, nous conservons la transcription de votre échange par chat afin de vous en envoyer une copie et de reprendre là où nous nous étions arrêtés lors de votre prochain contact. Si vous refusez, la transcription est supprimée à la fin de l’échange. Nous conservons les transcriptions { $retention }.

purpose-cross-border-transfer-name = L’aide de notre centre d’assistance à Singapour
purpose-cross-border-transfer-description = Certains problèmes nécessitent l’intervention des experts du { -gtac } à Singapour. Si vous l’acceptez séparément, nous leur transmettons votre dossier : vos coordonnées, les informations sur votre produit et la description du problème. Les garanties qui encadrent ce transfert dans votre cas figurent dans les détails ci-dessous. Vous pouvez demander au centre de vous donner accès à vos données, de les rectifier ou de les effacer au moyen de notre { $data-request }, ou lui écrire à { $gtac-email }. Si vous refusez, votre dossier est traité par nos équipes locales, ce qui peut prendre plus de temps pour les problèmes complexes. Nous conservons les dossiers transférés { $retention }.

purpose-service-analytics-name = Améliorer ce site
purpose-service-analytics-description = Si vous l’acceptez, nous comptabilisons les pages d’aide consultées et les recherches effectuées sur ce site afin d’améliorer nos réponses. Un service de mesure d’audience qui travaille pour nous collecte ces données et les conserve { $retention }.

purpose-marketing-name = Nouveautés sur nos produits et nos publicités
purpose-marketing-description = Si vous l’acceptez, nous vous envoyons des e-mails sur les mises à jour du micrologiciel, les nouveaux produits et les événements, et nous permettons à une régie publicitaire de reconnaître votre adresse e-mail afin de vous présenter nos publicités sur d’autres sites. Chaque e-mail contient un lien de désabonnement. Nous conservons votre abonnement jusqu’à ce que vous vous désabonniez et le supprimons { $retention } après la dernière ouverture de l’un de nos e-mails.

## Script de la ligne d’assistance (l’agent le lit à l’appelant ; { $code } est le code du justificatif de l’appel)

hotline-script-opening = Merci d’avoir appelé l’assistance { -brand }. Avant de commencer, je vais vous poser quelques questions sur l’utilisation que nous pouvons faire de vos données. Vous pouvez répondre non à chacune d’elles, et cela ne change rien à l’assistance que vous recevez. Vous pouvez changer d’avis à tout moment, en nous rappelant ou dans « Paramètres de confidentialité » sur notre site.
hotline-script-purpose-service-delivery = Pour vous aider, nous utilisons votre nom et vos coordonnées, le modèle et le numéro de série de votre produit, ainsi que ce que vous nous dites du problème. Nous en avons besoin pour répondre à votre demande, vérifier votre garantie et assurer le suivi jusqu’à la résolution du problème. Nous les conservons { $retention } après la clôture de votre demande.
hotline-script-purpose-hotline-call-recording = Acceptez-vous que nous enregistrions cet appel ? Nous utilisons l’enregistrement uniquement pour vérifier ce qui a été convenu et former nos ingénieurs d’assistance, et nous le supprimons au bout de { $retention }. Si vous refusez, nous vous aidons quand même, simplement sans enregistrer l’appel.
hotline-script-purpose-cross-border-transfer = Certains problèmes nécessitent l’intervention des experts du { -gtac } à Singapour. Acceptez-vous que nous leur transmettions votre dossier, avec vos coordonnées, les informations sur votre produit et la description du problème ? Si vous refusez, votre dossier est traité par nos équipes locales, ce qui peut prendre plus de temps pour les problèmes complexes.
hotline-script-purpose-cross-border-transfer-separate = La question suivante porte sur votre consentement distinct, et je vous la pose à part, séparément de vos autres réponses. Acceptez-vous que nous transmettions votre dossier, avec vos coordonnées, les informations sur votre produit et la description du problème, au { -gtac } à Singapour, pour que ses experts aident à le résoudre ? Vous pouvez écrire au centre à { $gtac-email } pour accéder à vos données, les rectifier ou les effacer. Si vous refusez, rien d’autre ne change : vos autres réponses restent les mêmes et votre dossier est traité par nos équipes locales.
hotline-script-closing = Merci, j’ai bien noté vos réponses. Le code de votre justificatif de consentement est { $code }. Avec ce code, vous pouvez consulter vos réponses sur { $receipt-lookup }.

## Données utilisées (catégories de notice.toml)

data-category-contact-details = Nom, adresse e-mail et numéro de téléphone
data-category-product-details = Modèle et numéro de série du produit
data-category-support-request = Ce que vous nous dites du problème
data-category-call-audio = Enregistrements de vos appels
data-category-phone-number = Le numéro depuis lequel vous appelez
data-category-chat-messages = Vos messages de chat
data-category-usage-data = Pages consultées et recherches effectuées sur ce site
data-category-device-details = Type de navigateur et d’appareil
data-category-marketing-preferences = Les nouvelles que vous souhaitez recevoir

## Où nous les collectons (canaux)

channel-hotline = Lignes téléphoniques d’assistance
channel-chat = Chat en ligne
channel-mailbox = Adresse e-mail d’assistance
channel-web = Ce site web

## Transferts à l’étranger

country-SG = Singapour
safeguard-pipl-standard-contract = Contrat type pour le transfert d’informations personnelles hors de Chine
safeguard-eu-scc = Clauses contractuelles types de la Commission européenne

## Vos droits

rights-heading = Vos droits
rights-how = Pour exercer l’un de ces droits, remplissez notre { $data-request } ou écrivez à { $privacy-email }. Nous vous répondons dans un délai de { $deadline }, gratuitement.
right-access = Accéder aux données que nous détenons sur vous et en obtenir une copie.
right-rectification = Obtenir la rectification des données inexactes ou incomplètes.
right-erasure = Obtenir l’effacement de vos données.
right-restriction = Obtenir la limitation du traitement de vos données, c’est-à-dire que nous cessions de les utiliser pendant un temps, par exemple pendant l’examen d’une réclamation.
right-objection = Vous opposer à l’utilisation de vos données lorsque nous nous fondons sur nos intérêts légitimes.
right-portability = Recevoir vos données dans un format couramment utilisé pour les transmettre ailleurs.
right-withdraw-consent = Retirer votre consentement à tout moment, aussi facilement que vous l’avez donné. Ce retrait ne remet pas en cause ce que nous avons fait auparavant.
right-explanation = Nous demander de vous expliquer comment nous traitons vos données.
right-opt-out-of-sale = Nous demander de ne pas vendre ni partager vos données et de ne pas les utiliser à des fins de publicité ciblée (lois des États américains sur la protection de la vie privée).
right-non-discrimination = Exercer vos droits ne vous vaudra aucun traitement moins favorable.
right-sharing-information = Savoir avec quelles entreprises nous avons partagé vos données.
right-anonymisation = Obtenir l’anonymisation ou le blocage des données inutiles ou excessives.
right-refusal-information = Savoir que vous pouvez refuser votre consentement et ce qui se passe dans ce cas : l’assistance fonctionne de toute façon.

## Réclamations

complaints-heading = Réclamations
complaint-eu-gdpr = Si vous résidez dans l’UE, vous pouvez introduire une réclamation auprès de l’autorité de protection des données de votre pays : consultez la { $eu-authorities }.
complaint-br-lgpd = Si vous résidez au Brésil, vous pouvez introduire une réclamation auprès de l’Autorité nationale de protection des données (ANPD) : consultez le { $anpd }.

## Lois sur la protection des données (régions de notice.toml)

regime-eu-gdpr = Règlement général sur la protection des données de l’UE (RGPD)
regime-cn-pipl = Loi chinoise sur la protection des informations personnelles (PIPL)
regime-us-ca-ccpa = Loi californienne sur la protection de la vie privée des consommateurs (CCPA/CPRA)
regime-br-lgpd = Loi générale brésilienne sur la protection des données personnelles (LGPD)
regime-apec-cbpr = Cadre de protection de la vie privée de l’APEC
gpc-statement = Si votre navigateur envoie le signal Global Privacy Control, nous le considérons comme une demande de votre part de ne pas vendre ni partager vos données, pour ce navigateur, sans rien vous demander d’autre.

## Textes des liens (liens de notice.toml)

link-privacy-policy = politique de confidentialité
link-data-request = formulaire d’exercice des droits
link-receipt-lookup = support.example.com/privacy/receipt
link-do-not-sell = Ne pas vendre ni partager mes informations personnelles
link-eu-authorities = liste des autorités de protection des données de l’UE
link-anpd = site de l’ANPD

## Ajouts de la notice multi-régimes (lois, réclamations, droits, garanties, liens)

legal-basis-opt-out = Nous vous en informons et vous pouvez le désactiver à tout moment
safeguard-uk-idta = L’accord international de transfert de données du Royaume-Uni
safeguard-lgpd-scc = Clauses contractuelles types de l’Autorité nationale de protection des données du Brésil (ANPD)
safeguard-apec-cbpr = La certification du centre au titre des règles de protection de la vie privée transfrontalières de l’APEC
right-appeal = Former un recours si nous refusons votre demande ; nous vous informons de la décision et de la manière de porter plainte (lois des États américains sur la protection de la vie privée).
right-nominate = Désigner une personne qui exercera ces droits pour vous en cas de décès ou d’incapacité (Inde).
complaint-uk-gdpr = Si vous résidez au Royaume-Uni, vous pouvez introduire une réclamation auprès du Commissaire à l’information du Royaume-Uni (ICO) : { $ico }.
complaint-ch-fadp = Si vous résidez en Suisse, vous pouvez introduire une réclamation auprès du Préposé fédéral à la protection des données et à la transparence (PFPDT) : { $fdpic }.
complaint-cn-pipl = Vous pouvez signaler un problème dans le traitement de vos informations personnelles à l’Administration du cyberespace de Chine : { $cac }.
complaint-jp-appi = Si vous résidez au Japon, vous pouvez demander l’aide de la Commission de protection des informations personnelles (PPC) : { $ppc }.
complaint-kr-pipa = Si vous résidez en Corée, vous pouvez signaler une atteinte ou demander une médiation à la Commission de protection des informations personnelles (PIPC) : { $pipc }.
complaint-in-dpdp = Si vous résidez en Inde et que nous ne réglons pas votre réclamation, vous pouvez saisir le Conseil indien de protection des données : { $dpb }.
complaint-ca-pipeda = Si vous résidez au Canada, vous pouvez porter plainte auprès du Commissariat à la protection de la vie privée du Canada : { $opc }.
complaint-ca-qc-law25 = Si vous résidez au Québec, vous pouvez porter plainte auprès de la Commission d’accès à l’information : { $cai }.
complaint-us-ca-ccpa = Si vous résidez en Californie, vous pouvez porter plainte auprès de l’Agence californienne de protection de la vie privée : { $cppa }.
complaint-us-va-vcdpa = Si vous résidez en Virginie et que nous rejetons votre recours, vous pouvez contacter le procureur général de Virginie : { $virginia-ag }.
complaint-us-co-cpa = Si vous résidez au Colorado et que nous rejetons votre recours, vous pouvez contacter le procureur général du Colorado : { $colorado-ag }.
complaint-us-ct-ctdpa = Si vous résidez au Connecticut et que nous rejetons votre recours, vous pouvez contacter le procureur général du Connecticut : { $connecticut-ag }.
complaint-us-tx-tdpsa = Si vous résidez au Texas et que nous rejetons votre recours, vous pouvez contacter le procureur général du Texas : { $texas-ag }.
complaint-us-or-ocpa = Si vous résidez en Oregon et que nous rejetons votre recours, vous pouvez contacter le ministère de la Justice de l’Oregon : { $oregon-doj }.
regime-uk-gdpr = Règlement général sur la protection des données du Royaume-Uni et loi britannique de 2018 sur la protection des données (RGPD britannique)
regime-ch-fadp = Loi fédérale suisse sur la protection des données (LPD)
regime-jp-appi = Loi japonaise sur la protection des informations personnelles (APPI)
regime-kr-pipa = Loi coréenne sur la protection des informations personnelles (PIPA)
regime-in-dpdp = Loi indienne de 2023 sur la protection des données personnelles numériques (loi DPDP)
regime-ca-pipeda = Loi canadienne sur la protection des renseignements personnels et les documents électroniques (LPRPDE)
regime-ca-qc-law25 = Loi sur la protection des renseignements personnels dans le secteur privé du Québec (Loi 25)
regime-us-va-vcdpa = Loi de Virginie sur la protection des données des consommateurs
regime-us-co-cpa = Loi du Colorado sur la vie privée
regime-us-ct-ctdpa = Loi du Connecticut sur la confidentialité des données
regime-us-tx-tdpsa = Loi du Texas sur la confidentialité et la sécurité des données
regime-us-or-ocpa = Loi de l’Oregon sur la vie privée des consommateurs
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
