### Privacy notice of the Lumenwave support site: English (the default locale).
### Every other language must have the same messages. Placeables:
###   { -brand }, { -gtac }     names, defined once below
###   { $privacy-policy } …     links from [links] in notice.toml; the link text is link-<name>

-brand = Lumenwave
-gtac = { -brand } Global Technical Assistance Centre

## Language switcher

language-name = English

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

## Details shown for each purpose

controller-heading = Who is responsible for your data
dpo-heading = Data protection officer
legal-basis-label = Why we may do this
retention-label = How long we keep it
recipients-label = Who receives it
transfers-label = Sent to other countries
legal-basis-consent = Your consent
legal-basis-contract = Needed to give you the support you asked for
legal-basis-legal-obligation = Required by law
legal-basis-legitimate-interests = Our legitimate interests

## Purposes (ids from notice.toml)

purpose-service-delivery-name = Answering your support requests
purpose-service-delivery-description = When you call our international hotline or our after-sales hotline in China, chat with us, write to our global support mailbox or use this site, we use your contact details, the product and serial number you tell us about and what you write or say about the problem. We need this to help you, to check your warranty and to follow up until the problem is solved, so we cannot help you without it. We keep it for 3 years after your request is closed, because warranty questions can come back.

purpose-hotline-call-recording-name = Recording hotline calls
purpose-hotline-call-recording-description = If you agree, we record your calls to our hotlines, so that we can check what was agreed and train our support engineers. If you say no, we still take your call; we just do not record it. Recordings are deleted after 90 days.

purpose-chat-transcript-name = Keeping chat transcripts
purpose-chat-transcript-description = If you agree, we keep a transcript of your chat, so that we can send you a copy and pick up where we left off when you contact us again. If you say no, the transcript is deleted when the chat ends. We keep transcripts for 1 year.

purpose-cross-border-transfer-name = Help from our support centre in Singapore
purpose-cross-border-transfer-description = Some problems need the experts of the { -gtac } in Singapore. If you agree to this separately, we send them your ticket: your contact details, your product details and the description of the problem. The transfer is protected by standard contracts: for visitors in China, the standard contract for sending personal information abroad; for visitors in the EU, the European Commission's standard contractual clauses. You can ask the centre to show, correct or delete your data with our { $data-request }, or write to it at { $gtac-email }. If you say no, our local teams handle your ticket, which can take longer for complex problems. We keep transferred tickets for 3 years.

purpose-service-analytics-name = Improving this site
purpose-service-analytics-description = If you agree, we count which help pages are read and what people search for on this site, so that we can improve our answers. A measurement service that works for us collects this data and keeps it for 13 months.

purpose-marketing-name = Product news by e-mail
purpose-marketing-description = If you agree, we send you e-mails about firmware updates, new products and events. Every e-mail has a link to unsubscribe. We keep your subscription until you unsubscribe, and delete it 2 years after you last opened one of our e-mails.

## Link labels (links from notice.toml)

link-privacy-policy = privacy notice
link-data-request = privacy request form
link-privacy-email = privacy@example.com
link-gtac-email = gtac-privacy@example.com
