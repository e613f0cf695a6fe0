### Aviso de privacidade do site de suporte da Lumenwave: português do Brasil.
### As mensagens devem ser as mesmas de en.ftl. Marcadores:
###   { -brand }, { -gtac }     nomes, definidos uma única vez abaixo
###   { $privacy-policy } …     links de [links] no notice.toml; o texto do link é link-<nome>

-brand = Lumenwave
-gtac = Centro Global de Assistência Técnica da { -brand }

## Seletor de idioma

language-name = Português (Brasil)
language-label = Idioma

## Primeira camada (aviso)

banner-title = Sua privacidade no suporte da { -brand }
banner-body = Usamos seus dados para atender às suas solicitações de suporte. Se você concordar, também gravamos as ligações para as nossas centrais de atendimento, guardamos as conversas do chat, permitimos que nosso centro de suporte em Singapura trabalhe nos seus chamados, medimos como este site é usado e enviamos novidades sobre nossos produtos. Você pode alterar suas escolhas a qualquer momento em “Configurações de privacidade”. Os detalhes estão na nossa { $privacy-policy }.
accept-all = Aceitar tudo
reject-all = Recusar tudo
open-settings = Personalizar

## Segunda camada (configurações)

settings-title = Configurações de privacidade
settings-intro = Escolha o que podemos fazer com os seus dados. O suporte que você solicitou funciona do mesmo jeito, qualquer que seja a sua escolha. Você pode revogar o seu consentimento a qualquer momento; isso não afeta o que fizemos antes da revogação. Dúvidas? Escreva para { $privacy-email }.
save-choices = Salvar minhas escolhas
close = Fechar
required-purpose = Sempre ativo
privacy-settings = Configurações de privacidade
decision-saved = Suas escolhas foram salvas.
withdraw-all = Revogar todo o consentimento
download-receipt = Baixar meu comprovante de consentimento
gpc-honoured = O sinal Global Privacy Control do seu navegador foi respeitado.

## Etapas de consentimento, detalhes, e a região e as regras mostradas no aviso

agree = Concordo
disagree = Não concordo
show-details = Detalhes
separate-consent-title = Seu consentimento em separado
separate-consent-intro = Este uso das suas informações precisa de um consentimento próprio, separado das suas outras escolhas. Se você não concordar, nada mais muda.
separate-consent-step = Etapa { $step } de { $steps }
separate-consent-waiting = Algumas perguntas sobre o seu consentimento separado ainda aguardam a sua resposta.
separate-consent-resume = Responder agora
guardian-label = Sou mãe, pai ou responsável legal de uma criança com menos de { $age } anos e faço estas escolhas por ela
gpc-held-label = Desativado por causa do seu sinal Global Privacy Control
gpc-opt-in-title = Permitir este uso apesar do sinal Global Privacy Control?
gpc-opt-in-intro = Seu navegador envia um sinal Global Privacy Control. Nós o respeitamos como o seu pedido para não vendermos nem compartilharmos suas informações pessoais, e este uso está coberto por ele; por isso, está desativado. Se você concordar, permite este uso neste site mesmo assim e pode desativá-lo de novo a qualquer momento. Se não concordar, ele continua desativado.
notice-region-heading = Onde você está e quais regras se aplicam
region-label = Sua região
region-other = Outra região
region-source-site-option = definida por este site
region-source-edge-header = pela localização da sua rede
region-source-time-zone = deduzida do seu fuso horário
region-source-language = deduzida do idioma do seu navegador
region-source-user-selection = escolhida por você
region-source-default = desconhecida; por isso, valem as regras mais rigorosas
opt-out-label = Ativado até você desativar
barred-for-child-label = Não disponível para crianças
other-regions-heading = Outras regiões
regime-reason-visitor-region = a lei do lugar onde você está
regime-reason-visitor-country = a lei do seu país
regime-reason-controller-establishment = a lei do lugar onde estamos estabelecidos
regime-reason-unlisted-region = as regras para as regiões que o nosso aviso não cita
regime-reason-unknown-region = sua região não é conhecida, por isso valem as regras mais rigorosas
categories-heading = Dados pessoais que coletamos
category-sold = Vendidos ou compartilhados para publicidade
category-not-sold = Não são vendidos nem compartilhados
request-heading = Fazer uma solicitação sobre seus dados
request-kind-label = O que você solicita?
request-details-label = Detalhes (opcional, no máximo 1.000 caracteres)
request-send = Enviar minha solicitação
request-sending = Enviando sua solicitação…
request-sent = Recebemos sua solicitação.
request-id-label = Número da solicitação
request-deadline-label = Respondemos até
request-failed = Não foi possível enviar sua solicitação. O que você escreveu continua aqui: tente novamente.
request-needs-receipt = Uma solicitação se refere ao seu último recibo de consentimento, e ainda não há nenhum registrado. Salve suas escolhas primeiro e depois envie sua solicitação.
request-pick-kind = Escolha primeiro o que você solicita.

## Aviso completo

full-notice-title = Aviso de privacidade do suporte da { -brand }
open-full-notice = Ler o aviso de privacidade completo
notice-version-label = Versão
purposes-heading = Para que usamos os seus dados
controller-heading = Controlador dos seus dados
dpo-heading = Encarregado pelo tratamento de dados pessoais
eu-representative-heading = Nosso representante na UE
china-representative-heading = Nosso representante na China
uk-representative-heading = Nosso representante no Reino Unido
swiss-representative-heading = Nosso representante na Suíça
korea-representative-heading = Nosso agente local na Coreia
head-label = Representada por
address-label = Endereço
email-label = E-mail
phone-label = Telefone
regime-label = Leis de proteção de dados aplicáveis a você

## Detalhes de cada finalidade

legal-basis-label = Por que podemos fazer isso
retention-label = Por quanto tempo guardamos
recipients-label = Quem recebe
processors-label = Operadores que tratam os dados em nosso nome
third-parties-label = Outras empresas que recebem os dados
transfers-label = Enviados para outros países
data-categories-label = Dados que usamos
channels-label = Onde coletamos
sensitive-label = Inclui dados pessoais sensíveis
separate-consent-label = Pedimos o seu consentimento em separado
sold-or-shared-label = Compartilhados para publicidade (você pode pedir que não sejam compartilhados)
legitimate-interest-label = Nosso legítimo interesse
automated-decision-label = Decisões automatizadas
sensitive-impact-label = Por que precisamos de dados sensíveis

legal-basis-consent = Seu consentimento
legal-basis-contract = Necessário para prestar o suporte que você pediu
legal-basis-legal-obligation = Exigido por lei
legal-basis-legitimate-interests = Nosso legítimo interesse

## Finalidades (identificadores do notice.toml)

purpose-service-delivery-name = Atender às suas solicitações de suporte
purpose-service-delivery-description = Quando você liga para a nossa central internacional ou para a nossa central de pós-venda na China, conversa conosco pelo chat, escreve para a nossa caixa de suporte global ou usa este site, usamos seus dados de contato, o produto e o número de série que você informa e o que você escreve ou diz sobre o problema. Precisamos disso para ajudar você, verificar a garantia e acompanhar o caso até a solução; sem esses dados, não conseguimos ajudar. Guardamos os dados por { $retention } após o encerramento da solicitação, porque questões de garantia podem surgir novamente.

purpose-hotline-call-recording-name = Gravar as ligações
purpose-hotline-call-recording-description = Se você concordar, gravamos suas ligações para as nossas centrais, para conferir o que foi combinado e treinar nossos engenheiros de suporte. Se você não concordar, atendemos a ligação normalmente, só que sem gravar. As gravações são eliminadas após { $retention }.

purpose-chat-transcript-name = Guardar as conversas do chat
purpose-chat-transcript-description = Se você concordar, guardamos a transcrição da sua conversa para enviar uma cópia a você e retomar de onde paramos quando você voltar a falar conosco. Se você não concordar, a transcrição é eliminada quando o chat termina. Guardamos as transcrições por { $retention }.

purpose-cross-border-transfer-name = Ajuda do nosso centro de suporte em Singapura
purpose-cross-border-transfer-description = Alguns problemas precisam dos especialistas do { -gtac } em Singapura. Se você concordar com isso em separado, enviamos o seu chamado para eles: seus dados de contato, os dados do produto e a descrição do problema. As garantias que protegem a transferência no seu caso aparecem nos detalhes abaixo. Você pode pedir ao centro o acesso, a correção ou a eliminação dos seus dados pelo nosso { $data-request }, ou escrever para { $gtac-email }. Se você não concordar, nossas equipes locais cuidam do chamado, o que pode demorar mais em problemas complexos. Guardamos os chamados transferidos por { $retention }.

purpose-service-analytics-name = Melhorar este site
purpose-service-analytics-description = Se você concordar, contamos quais páginas de ajuda são lidas e o que as pessoas buscam neste site, para melhorar nossas respostas. Um serviço de medição que trabalha para nós coleta esses dados e os guarda por { $retention }.

purpose-marketing-name = Novidades sobre produtos e nossos anúncios
purpose-marketing-description = Se você concordar, enviamos e-mails sobre atualizações de firmware, novos produtos e eventos, e permitimos que uma rede de publicidade reconheça o seu endereço de e-mail para mostrar nossos anúncios em outros sites. Todo e-mail tem um link para cancelar a inscrição. Guardamos sua inscrição até você cancelá-la e a eliminamos { $retention } depois da última vez que você abriu um de nossos e-mails.

## Roteiro da central de atendimento (o atendente o lê para quem liga; { $code } é o código do comprovante da ligação)

hotline-script-opening = Obrigado por ligar para o suporte da { -brand }. Antes de começar, vou fazer algumas perguntas sobre como podemos usar os seus dados. Você pode dizer não a qualquer pergunta, e isso não afeta o suporte que você recebe. Você pode mudar de ideia a qualquer momento, ligando de novo para nós ou em “Configurações de privacidade” no nosso site.
hotline-script-purpose-service-delivery = Para ajudar você, usamos seu nome e seus dados de contato, o modelo e o número de série do seu produto e o que você nos conta sobre o problema. Precisamos disso para atender à sua solicitação, verificar a garantia e acompanhar o caso até a solução. Guardamos os dados por { $retention } após o encerramento da solicitação.
hotline-script-purpose-hotline-call-recording = Você concorda que gravemos esta ligação? Usamos a gravação apenas para conferir o que foi combinado e treinar nossos engenheiros de suporte, e a eliminamos após { $retention }. Se você não concordar, ajudamos você normalmente, só que sem gravar a ligação.
hotline-script-purpose-cross-border-transfer = Alguns problemas precisam dos especialistas do { -gtac } em Singapura. Você concorda que enviemos o seu chamado para eles, com seus dados de contato, os dados do produto e a descrição do problema? Se você não concordar, nossas equipes locais cuidam do chamado, o que pode demorar mais em problemas complexos.
hotline-script-purpose-cross-border-transfer-separate = A próxima pergunta é sobre o seu consentimento em separado, e eu a faço à parte, separada das suas outras respostas. Você concorda que enviemos o seu chamado, com seus dados de contato, os dados do produto e a descrição do problema, ao { -gtac } em Singapura, para que os especialistas dele ajudem a resolvê-lo? Você pode escrever para o centro em { $gtac-email } para acessar, corrigir ou eliminar seus dados. Se você não concordar, nada mais muda: suas outras respostas continuam as mesmas e nossas equipes locais cuidam do chamado.
hotline-script-closing = Obrigado, registrei as suas respostas. O código do seu comprovante de consentimento é { $code }. Com esse código, você pode consultar as suas respostas em { $receipt-lookup }.

## Dados que usamos (categorias do notice.toml)

data-category-contact-details = Nome, e-mail e número de telefone
data-category-product-details = Modelo e número de série do produto
data-category-support-request = O que você nos conta sobre o problema
data-category-call-audio = Gravações das suas ligações
data-category-phone-number = O número de onde você liga
data-category-chat-messages = Suas mensagens no chat
data-category-usage-data = Páginas que você lê e buscas que faz neste site
data-category-device-details = Tipo de navegador e de aparelho
data-category-marketing-preferences = Quais novidades você quer receber

## Onde coletamos (canais)

channel-hotline = Centrais de atendimento por telefone
channel-chat = Chat on-line
channel-mailbox = Caixa de e-mail do suporte
channel-web = Este site

## Transferências internacionais

country-SG = Singapura
safeguard-pipl-standard-contract = Contrato-padrão para a transferência de informações pessoais para fora da China
safeguard-eu-scc = Cláusulas contratuais padrão da Comissão Europeia

## Seus direitos

rights-heading = Seus direitos
rights-how = Para exercer qualquer um desses direitos, preencha o nosso { $data-request } ou escreva para { $privacy-email }. Respondemos em até { $deadline }, sem nenhum custo.
right-access = Acessar os dados que temos sobre você e receber uma cópia deles.
right-rectification = Pedir a correção de dados incompletos, inexatos ou desatualizados.
right-erasure = Pedir a eliminação dos seus dados.
right-restriction = Pedir que suspendamos temporariamente o uso dos seus dados (bloqueio), por exemplo enquanto analisamos uma reclamação.
right-objection = Opor-se ao uso dos seus dados quando nos baseamos no nosso legítimo interesse.
right-portability = Pedir a portabilidade dos seus dados, recebendo-os em um formato comum para levá-los a outro fornecedor.
right-withdraw-consent = Revogar o seu consentimento a qualquer momento, com a mesma facilidade com que o deu. Isso não afeta o que fizemos antes.
right-explanation = Pedir que expliquemos como tratamos os seus dados.
right-opt-out-of-sale = Pedir que não vendamos nem compartilhemos seus dados nem os usemos para publicidade direcionada (leis de privacidade dos estados dos EUA).
right-non-discrimination = Não daremos a você um tratamento menos favorável por exercer seus direitos.
right-sharing-information = Saber com quais empresas compartilhamos os seus dados.
right-anonymisation = Pedir a anonimização ou o bloqueio de dados desnecessários ou excessivos.
right-refusal-information = Saber que você pode não fornecer o consentimento e quais são as consequências da negativa: o suporte funciona de qualquer forma.

## Reclamações

complaints-heading = Reclamações
complaint-eu-gdpr = Se você mora na UE, pode apresentar uma reclamação à autoridade de proteção de dados do seu país: veja a { $eu-authorities }.
complaint-br-lgpd = Se você mora no Brasil, pode apresentar uma reclamação à Autoridade Nacional de Proteção de Dados (ANPD): veja o { $anpd }.

## Leis de proteção de dados (regiões do notice.toml)

regime-eu-gdpr = Regulamento Geral sobre a Proteção de Dados da UE (RGPD)
regime-cn-pipl = Lei de Proteção de Informações Pessoais da China (PIPL)
regime-us-ca-ccpa = Lei de Privacidade do Consumidor da Califórnia (CCPA/CPRA)
regime-br-lgpd = Lei Geral de Proteção de Dados Pessoais (LGPD)
regime-apec-cbpr = Estrutura de Privacidade da APEC
gpc-statement = Se o seu navegador enviar o sinal Global Privacy Control, nós o tratamos como o seu pedido para não vendermos nem compartilharmos seus dados, neste navegador, sem pedir mais nada a você.

## Textos dos links (links do notice.toml)

link-privacy-policy = política de privacidade
link-data-request = formulário de solicitação de direitos do titular
link-receipt-lookup = support.example.com/privacy/receipt
link-do-not-sell = Não vender nem compartilhar minhas informações pessoais
link-eu-authorities = lista das autoridades de proteção de dados da UE
link-anpd = site da ANPD

## Acrescentados com o aviso para vários regimes (leis, reclamações, direitos, garantias, links)

legal-basis-opt-out = Informamos sobre isso, e você pode desativar a qualquer momento
safeguard-uk-idta = O Acordo Internacional de Transferência de Dados do Reino Unido
safeguard-lgpd-scc = Cláusulas-padrão contratuais da Autoridade Nacional de Proteção de Dados (ANPD)
safeguard-apec-cbpr = A certificação do centro nas Regras de Privacidade Transfronteiriça da APEC
right-appeal = Recorrer se recusarmos o seu pedido; informaremos o resultado e como apresentar uma reclamação (leis de privacidade dos estados dos EUA).
right-nominate = Indicar alguém para exercer esses direitos por você em caso de morte ou incapacidade (Índia).
complaint-uk-gdpr = Se você mora no Reino Unido, pode apresentar uma reclamação ao Gabinete do Comissário de Informação do Reino Unido (ICO): { $ico }.
complaint-ch-fadp = Se você mora na Suíça, pode apresentar uma reclamação ao Comissário Federal de Proteção de Dados e Transparência (FDPIC): { $fdpic }.
complaint-cn-pipl = Você pode denunciar um problema no tratamento dos seus dados pessoais à Administração do Ciberespaço da China: { $cac }.
complaint-jp-appi = Se você mora no Japão, pode pedir ajuda à Comissão de Proteção de Informações Pessoais (PPC): { $ppc }.
complaint-kr-pipa = Se você mora na Coreia, pode denunciar uma violação ou pedir mediação à Comissão de Proteção de Informações Pessoais (PIPC): { $pipc }.
complaint-in-dpdp = Se você mora na Índia e não resolvermos a sua queixa, pode reclamar ao Conselho de Proteção de Dados da Índia: { $dpb }.
complaint-ca-pipeda = Se você mora no Canadá, pode apresentar uma reclamação ao Gabinete do Comissário de Privacidade do Canadá: { $opc }.
complaint-ca-qc-law25 = Se você mora em Quebec, pode apresentar uma reclamação à Comissão de Acesso à Informação (CAI): { $cai }.
complaint-us-ca-ccpa = Se você mora na Califórnia, pode apresentar uma reclamação à Agência de Proteção da Privacidade da Califórnia: { $cppa }.
complaint-us-va-vcdpa = Se você mora na Virgínia e recusarmos o seu recurso, pode procurar o Procurador-Geral da Virgínia: { $virginia-ag }.
complaint-us-co-cpa = Se você mora no Colorado e recusarmos o seu recurso, pode procurar o Procurador-Geral do Colorado: { $colorado-ag }.
complaint-us-ct-ctdpa = Se você mora em Connecticut e recusarmos o seu recurso, pode procurar o Procurador-Geral de Connecticut: { $connecticut-ag }.
complaint-us-tx-tdpsa = Se você mora no Texas e recusarmos o seu recurso, pode procurar o Procurador-Geral do Texas: { $texas-ag }.
complaint-us-or-ocpa = Se você mora no Oregon e recusarmos o seu recurso, pode procurar o Departamento de Justiça do Oregon: { $oregon-doj }.
regime-uk-gdpr = Regulamento Geral de Proteção de Dados do Reino Unido e Lei de Proteção de Dados de 2018 (UK GDPR)
regime-ch-fadp = Lei Federal Suíça de Proteção de Dados (LPD)
regime-jp-appi = Lei de Proteção de Informações Pessoais do Japão (APPI)
regime-kr-pipa = Lei de Proteção de Informações Pessoais da Coreia (PIPA)
regime-in-dpdp = Lei de Proteção de Dados Pessoais Digitais de 2023 da Índia (DPDP)
regime-ca-pipeda = Lei de Proteção de Informações Pessoais e Documentos Eletrônicos do Canadá (PIPEDA)
regime-ca-qc-law25 = Lei sobre a proteção de informações pessoais no setor privado de Quebec (Lei 25)
regime-us-va-vcdpa = Lei de Proteção de Dados do Consumidor da Virgínia
regime-us-co-cpa = Lei de Privacidade do Colorado
regime-us-ct-ctdpa = Lei de Privacidade de Dados de Connecticut
regime-us-tx-tdpsa = Lei de Privacidade e Segurança de Dados do Texas
regime-us-or-ocpa = Lei de Privacidade do Consumidor do Oregon
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
