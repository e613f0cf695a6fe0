### Privacy notice of the Lumenwave support site: English (the default locale).
### Every other language must have the same messages. Placeables:
###   { -brand }, { -gtac }     names, defined once below
###   { $privacy-policy } …     links from [links] in notice.toml; the link text is link-<name>

-brand = Lumenwave
-gtac = { -brand } Global Technical Assistance Centre

## Language switcher

language-name = English
language-label = Language

## First layer (banner)

banner-title = Your privacy at { -brand } Support
banner-body = We use your information to answer your support requests. If you agree, we also record hotline calls, keep chat transcripts, let our support centre in Singapore work on your tickets, measure how this site is used and send you product news. You can change your choices at any time under “Privacy settings”. Details are in our { $privacy-policy }.
accept-all = Accept all
reject-all = Reject all
open-settings = Choose for myself

## Second layer (settings)

settings-title = Privacy settings
settings-intro = Choose what we may do with your information. The support you ask for works whatever you choose here. You can withdraw your consent at any time; this does not affect what we did before you withdrew it. Questions? Write to { $privacy-email }.
save-choices = Save my choices
close = Close
required-purpose = Always on
privacy-settings = Privacy settings
decision-saved = Your choices have been saved.
withdraw-all = Withdraw all consent
download-receipt = Download my consent receipt
gpc-honoured = Your browser’s Global Privacy Control signal has been honoured.

## Consent steps, details, and the region and rules shown in the notice

agree = I agree
disagree = I do not agree
show-details = Details
separate-consent-title = Your separate consent
separate-consent-intro = This use of your information needs its own consent, apart from your other choices. If you do not agree, nothing else changes.
separate-consent-step = Step { $step } of { $steps }
separate-consent-waiting = Some questions about your separate consent are still waiting for your answer.
separate-consent-resume = Answer them now
guardian-label = I am a parent or guardian making these choices for a child under { $age }
gpc-held-label = Off because of your Global Privacy Control signal
gpc-opt-in-title = Allow this despite Global Privacy Control?
gpc-opt-in-intro = Your browser sends a Global Privacy Control signal. We honour it as your request to opt out of the sale and sharing of your personal information, and this use is covered by it, so it is off. If you agree, you allow it on this site anyway; you can switch it off again at any time. If you do not agree, it stays off.
notice-region-heading = Where you are and which rules apply
region-label = Your region
region-other = Another region
region-source-site-option = set by this site
region-source-edge-header = from your network location
region-source-time-zone = guessed from your time zone
region-source-language = guessed from your browser’s language
region-source-user-selection = chosen by you
region-source-default = not known, so the strictest rules apply
opt-out-label = On until you switch it off
barred-for-child-label = Not offered for children
other-regions-heading = Other regions
regime-reason-visitor-region = the law where you are
regime-reason-visitor-country = the law of your country
regime-reason-controller-establishment = the law where we are established
regime-reason-unlisted-region = rules for regions not listed in our notice
regime-reason-unknown-region = your region is not known, so the strictest rules apply
categories-heading = Personal information we collect
category-sold = Sold or shared for advertising
category-not-sold = Not sold or shared
request-heading = Ask about your information
request-kind-label = What do you ask for?
request-details-label = Details (optional, at most 1,000 characters)
request-send = Send my request
request-sending = Sending your request…
request-sent = We have your request.
request-id-label = Request number
request-deadline-label = We answer by
request-failed = Your request could not be sent. What you wrote is still here: please try again.
request-needs-receipt = A request names your latest consent receipt, and we have none from you yet. Save your choices first, then send your request.
request-pick-kind = Choose what you ask for first.

## Full notice

full-notice-title = Privacy notice for { -brand } Support
open-full-notice = Read the full privacy notice
notice-version-label = Version
purposes-heading = What we use your information for
controller-heading = Who is responsible for your data
dpo-heading = Data protection officer
eu-representative-heading = Our representative in the EU
china-representative-heading = Our representative in China
uk-representative-heading = Our representative in the UK
swiss-representative-heading = Our representative in Switzerland
korea-representative-heading = Our domestic agent in Korea
head-label = Represented by
address-label = Address
email-label = E-mail
phone-label = Phone
regime-label = Privacy laws that apply to you

## Details shown for each purpose

legal-basis-label = Why we may do this
retention-label = How long we keep it
recipients-label = Who receives it
processors-label = Service providers working for us
third-parties-label = Other companies that receive it
transfers-label = Sent to other countries
data-categories-label = Information we use
channels-label = Where we collect it
sensitive-label = Includes sensitive personal information
separate-consent-label = We ask for this separately
sold-or-shared-label = Shared for advertising (you can opt out of this)
legitimate-interest-label = Our legitimate interest
automated-decision-label = Automated decisions
sensitive-impact-label = Why we need sensitive information

legal-basis-consent = Your consent
legal-basis-contract = Needed to give you the support you asked for
legal-basis-legal-obligation = Required by law
legal-basis-legitimate-interests = Our legitimate interests
legal-basis-opt-out = We tell you about it, and you can switch it off at any time

## Purposes (ids from notice.toml)

purpose-service-delivery-name = Answering your support requests
purpose-service-delivery-description = When you call our international hotline or our after-sales hotline in China, chat with us, write to our global support mailbox or use this site, we use your contact details, the product and serial number you tell us about and what you write or say about the problem. We need this to help you, to check your warranty and to follow up until the problem is solved, so we cannot help you without it. We keep it for { $retention } after your request is closed, because warranty questions can come back.

purpose-hotline-call-recording-name = Recording hotline calls
purpose-hotline-call-recording-description = If you agree, we record your calls to our hotlines, so that we can check what was agreed and train our support engineers. If you say no, we still take your call; we just do not record it. Recordings are deleted after { $retention }.

purpose-chat-transcript-name = Keeping chat transcripts
purpose-chat-transcript-description = If you agree, we keep a transcript of your chat, so that we can send you a copy and pick up where we left off when you contact us again. If you say no, the transcript is deleted when the chat ends. We keep transcripts for { $retention }.

purpose-cross-border-transfer-name = Help from our support centre in Singapore
purpose-cross-border-transfer-description = Some problems need the experts of the { -gtac } in Singapore. If you agree to this separately, we send them your ticket: your contact details, your product details and the description of the problem. How the transfer is protected for you is shown with the details below. You can ask the centre to show, correct or delete your data with our { $data-request }, or write to it at { $gtac-email }. If you say no, our local teams handle your ticket, which can take longer for complex problems. We keep transferred tickets for { $retention }.

purpose-service-analytics-name = Improving this site
purpose-service-analytics-description = If you agree, we count which help pages are read and what people search for on this site, so that we can improve our answers. A measurement service that works for us collects this data and keeps it for { $retention }.

purpose-marketing-name = Product news and our ads
purpose-marketing-description = If you agree, we send you e-mails about firmware updates, new products and events, and we let an advertising network recognise your e-mail address so that it can show you our ads on other websites. Every e-mail has a link to unsubscribe. We keep your subscription until you unsubscribe, and delete it { $retention } after you last opened one of our e-mails.

## Hotline script (the agent reads it to callers; { $code } is the call’s receipt code)

hotline-script-opening = Thank you for calling { -brand } Support. Before we start, I will ask you a few questions about how we may use your information. You can say no to any of them, and that does not affect the support you get. You can change your mind at any time, by calling us again or under “Privacy settings” on our website.
hotline-script-purpose-service-delivery = To help you, we use your name and contact details, your product model and serial number, and what you tell us about the problem. We need this to answer your request, to check your warranty and to follow up until the problem is solved. We keep it for { $retention } after your request is closed.
hotline-script-purpose-hotline-call-recording = Do you agree that we record this call? We use the recording only to check what was agreed and to train our support engineers, and we delete it after { $retention }. If you say no, we still help you; we just do not record the call.
hotline-script-purpose-cross-border-transfer = Some problems need the experts of the { -gtac } in Singapore. Do you agree that we send them your ticket, with your contact details, your product details and the description of the problem? If you say no, our local teams handle your ticket, which can take longer for complex problems.
hotline-script-purpose-cross-border-transfer-separate = The next question is about your separate consent, and I ask it on its own, apart from your other answers. Do you agree that we send your ticket, with your contact details, your product details and the description of the problem, to the { -gtac } in Singapore, so that its experts can help solve it? You can write to the centre at { $gtac-email } to see, correct or delete your data. If you say no, nothing else changes: your other answers stay as they are, and our local teams handle your ticket.
hotline-script-closing = Thank you, I have recorded your answers. Your receipt code is { $code }. With this code you can look up your answers at { $receipt-lookup }.

## Information we use (data categories from notice.toml)

data-category-contact-details = Name, e-mail address and phone number
data-category-product-details = Product model and serial number
data-category-support-request = What you tell us about the problem
data-category-call-audio = Recordings of your calls
data-category-phone-number = The number you call from
data-category-chat-messages = Your chat messages
data-category-usage-data = Pages you read and searches you make on this site
data-category-device-details = Browser and device type
data-category-marketing-preferences = Which news you want to receive

## Where we collect it (channels)

channel-hotline = Phone hotlines
channel-chat = Online chat
channel-mailbox = Support mailbox
channel-web = This website

## Transfers abroad

country-SG = Singapore
safeguard-pipl-standard-contract = Standard contract for sending personal information out of China
safeguard-eu-scc = Standard contractual clauses of the European Commission
safeguard-uk-idta = The UK International Data Transfer Agreement
safeguard-lgpd-scc = Standard contractual clauses of Brazil's National Data Protection Authority (ANPD)
safeguard-apec-cbpr = The centre's certification under the APEC Cross-Border Privacy Rules

## Your rights

rights-heading = Your rights
rights-how = To use any of these rights, fill in our { $data-request } or write to { $privacy-email }. We answer within { $deadline }, and it costs you nothing.
right-access = See the information we hold about you and get a copy of it.
right-rectification = Have wrong or incomplete information corrected.
right-erasure = Have your information deleted.
right-restriction = Have us stop using your information for a while, for example while we check a complaint.
right-objection = Object to our use of your information when we rely on our legitimate interests.
right-portability = Get your information in a common format to take it elsewhere.
right-withdraw-consent = Withdraw your consent at any time, as easily as you gave it. This does not affect what we did before.
right-explanation = Ask us to explain how we handle your information.
right-opt-out-of-sale = Opt out of the sale or sharing of your information and of targeted advertising (US state privacy laws).
right-non-discrimination = We will not treat you worse for using your rights.
right-sharing-information = Ask which companies we have shared your information with.
right-anonymisation = Have unnecessary or excessive information made anonymous or blocked.
right-refusal-information = Know that you may refuse consent, and what happens if you do: the support itself works either way.
right-appeal = Appeal if we refuse your request; we tell you the outcome and how to complain (US state privacy laws).
right-nominate = Name someone who can use these rights for you if you die or become unable to act yourself (India).

## Complaints

complaints-heading = Complaints
complaint-eu-gdpr = If you live in the EU, you can complain to the data protection authority of your country: see the { $eu-authorities }.
complaint-br-lgpd = If you live in Brazil, you can complain to the National Data Protection Authority (ANPD): see the { $anpd }.
complaint-uk-gdpr = If you live in the UK, you can complain to the Information Commissioner's Office (ICO): { $ico }.
complaint-ch-fadp = If you live in Switzerland, you can complain to the Federal Data Protection and Information Commissioner (FDPIC): { $fdpic }.
complaint-cn-pipl = You can report a problem with how we handle your personal information to the Cyberspace Administration of China: { $cac }.
complaint-jp-appi = If you live in Japan, you can ask the Personal Information Protection Commission (PPC) for help: { $ppc }.
complaint-kr-pipa = If you live in Korea, you can report an infringement or ask for dispute mediation at the Personal Information Protection Commission (PIPC): { $pipc }.
complaint-in-dpdp = If you live in India and we do not resolve your grievance, you can complain to the Data Protection Board of India: { $dpb }.
complaint-ca-pipeda = If you live in Canada, you can complain to the Office of the Privacy Commissioner of Canada: { $opc }.
complaint-ca-qc-law25 = If you live in Québec, you can complain to the Commission d'accès à l'information: { $cai }.
complaint-us-ca-ccpa = If you live in California, you can complain to the California Privacy Protection Agency: { $cppa }.
complaint-us-va-vcdpa = If you live in Virginia and we refuse your appeal, you can contact the Attorney General of Virginia: { $virginia-ag }.
complaint-us-co-cpa = If you live in Colorado and we refuse your appeal, you can contact the Colorado Attorney General: { $colorado-ag }.
complaint-us-ct-ctdpa = If you live in Connecticut and we refuse your appeal, you can contact the Connecticut Attorney General: { $connecticut-ag }.
complaint-us-tx-tdpsa = If you live in Texas and we refuse your appeal, you can contact the Texas Attorney General: { $texas-ag }.
complaint-us-or-ocpa = If you live in Oregon and we refuse your appeal, you can contact the Oregon Department of Justice: { $oregon-doj }.

## Privacy laws (regions from notice.toml)

regime-eu-gdpr = EU General Data Protection Regulation (GDPR)
regime-cn-pipl = China's Personal Information Protection Law (PIPL)
regime-us-ca-ccpa = California Consumer Privacy Act (CCPA/CPRA)
regime-br-lgpd = Brazil's General Data Protection Law (LGPD)
regime-apec-cbpr = APEC Privacy Framework
regime-uk-gdpr = UK General Data Protection Regulation and Data Protection Act 2018 (UK GDPR)
regime-ch-fadp = Swiss Federal Act on Data Protection (FADP)
regime-jp-appi = Japan's Act on the Protection of Personal Information (APPI)
regime-kr-pipa = Korea's Personal Information Protection Act (PIPA)
regime-in-dpdp = India's Digital Personal Data Protection Act 2023 (DPDP Act)
regime-ca-pipeda = Canada's Personal Information Protection and Electronic Documents Act (PIPEDA)
regime-ca-qc-law25 = Québec's Act respecting the protection of personal information in the private sector (Law 25)
regime-us-va-vcdpa = Virginia Consumer Data Protection Act
regime-us-co-cpa = Colorado Privacy Act
regime-us-ct-ctdpa = Connecticut Data Privacy Act
regime-us-tx-tdpsa = Texas Data Privacy and Security Act
regime-us-or-ocpa = Oregon Consumer Privacy Act
gpc-statement = If your browser sends the Global Privacy Control signal, we treat it as your request not to sell or share your information, for this browser, without asking you anything else.

## Link labels (links from notice.toml)

link-privacy-policy = privacy policy
link-data-request = privacy request form
link-receipt-lookup = support.example.com/privacy/receipt
link-do-not-sell = Do Not Sell or Share My Personal Information
link-eu-authorities = list of EU data protection authorities
link-anpd = ANPD website
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
