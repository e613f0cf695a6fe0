### 朗波技术支持网站个人信息保护提示：简体中文。
### 消息须与默认语言（en.ftl）一一对应。占位符：
###   { -brand }、{ -gtac }        名称，在本文件下方定义
###   { $privacy-policy } 等       notice.toml 中 [links] 定义的链接，链接文字为 link-<名称>

-brand = 朗波
-gtac = { -brand }全球技术支持中心

## 语言切换

language-name = 简体中文
language-label = 语言

## 第一层（提示横幅）

banner-title = { -brand }技术支持个人信息保护提示
banner-body = 为处理您的技术支持请求，我们需要使用您的个人信息。经您同意，我们还会对热线通话进行录音、保存在线客服聊天记录、将工单提交至位于新加坡的技术支持中心处理、统计本网站的使用情况，并向您发送产品资讯。您可以随时在“隐私设置”中更改选择。详情请阅读{ $privacy-policy }。
accept-all = 全部同意
reject-all = 全部拒绝
open-settings = 逐项选择

## 第二层（隐私设置）

settings-title = 隐私设置
settings-intro = 请选择您同意我们开展的个人信息处理活动。无论您如何选择，我们都会为您提供您所请求的技术支持服务。您可以随时撤回同意，撤回同意不影响撤回前基于您的同意已开展的个人信息处理活动。如有疑问，请发送邮件至{ $privacy-email }。
save-choices = 保存设置
close = 关闭
required-purpose = 必要功能，始终开启
privacy-settings = 隐私设置
decision-saved = 您的选择已保存。
withdraw-all = 撤回全部同意
download-receipt = 下载同意记录凭证
gpc-honoured = 已遵从您的浏览器发出的“全球隐私控制”（GPC）信号。

## 单独同意、详细信息，以及提示中显示的地区和适用规则

agree = 我同意
disagree = 我不同意
show-details = 详细信息
separate-consent-title = 单独同意
separate-consent-intro = 此项个人信息处理活动需要单独取得您的同意，与您的其他选择相互独立。如您不同意，其他选择均不受影响。
separate-consent-step = 第 { $step } 步，共 { $steps } 步
separate-consent-waiting = 有需要您单独同意的事项在等待您的答复。
separate-consent-resume = 现在答复
guardian-label = 我是未满{ $age }周岁未成年人的父母或者其他监护人，代其作出上述选择
gpc-held-label = 因“全球隐私控制”信号已关闭
gpc-opt-in-title = 尽管有“全球隐私控制”信号，仍允许此项处理？
gpc-opt-in-intro = 您的浏览器发出了“全球隐私控制”（GPC）信号。我们将其视为您要求我们不出售或共享您个人信息的请求；此项处理活动属于该请求的范围，因此已关闭。如您同意，即表示您仍允许本网站开展此项活动，您可以随时再次关闭。如您不同意，此项活动将保持关闭。
notice-region-heading = 您所在的地区及适用的规则
region-label = 您所在的地区
region-other = 其他地区
region-source-site-option = 由本网站设定
region-source-edge-header = 根据您的网络位置判断
region-source-time-zone = 根据您的时区推测
region-source-language = 根据您的浏览器语言推测
region-source-user-selection = 由您选择
region-source-default = 无法确定，因此适用最严格的规则
opt-out-label = 已开启，直至您将其关闭
barred-for-child-label = 不向儿童提供
other-regions-heading = 其他地区
regime-reason-visitor-region = 您所在地的法律
regime-reason-visitor-country = 您所在国家的法律
regime-reason-controller-establishment = 我们设立地的法律
regime-reason-unlisted-region = 适用于本告知书未列出地区的规则
regime-reason-unknown-region = 无法确定您所在的地区，因此适用最严格的规则
categories-heading = 我们收集的个人信息
category-sold = 出售或为广告目的共享
category-not-sold = 不出售也不共享
request-heading = 提出关于您个人信息的请求
request-kind-label = 您要提出什么请求？
request-details-label = 详细说明（选填，最多 1000 个字符）
request-send = 发送我的请求
request-sending = 正在发送您的请求…
request-sent = 我们已收到您的请求。
request-id-label = 请求编号
request-deadline-label = 我们的答复期限
request-failed = 您的请求未能发送。您填写的内容仍保留在此：请重试。
request-needs-receipt = 请求需要对应您最近一次的同意回执，但目前还没有任何记录。请先保存您的选择，然后再发送请求。
request-pick-kind = 请先选择您要提出的请求。

## 完整版个人信息保护提示

full-notice-title = { -brand }技术支持个人信息处理告知书
open-full-notice = 查看完整的个人信息处理告知书
notice-version-label = 版本
purposes-heading = 我们如何使用您的个人信息

## 各处理目的的详细信息

controller-heading = 个人信息处理者
dpo-heading = 个人信息保护负责人
eu-representative-heading = 我们在欧盟境内的代表
china-representative-heading = 我们在中国境内的代表
uk-representative-heading = 我们在英国境内的代表
swiss-representative-heading = 我们在瑞士境内的代表
korea-representative-heading = 我们在韩国的国内代理人
head-label = 公司代表人
address-label = 地址
email-label = 电子邮箱
phone-label = 电话
regime-label = 适用于您的个人信息保护法律
legal-basis-label = 处理依据
retention-label = 保存期限
recipients-label = 接收方
processors-label = 受托人（受我们委托处理个人信息的服务商）
third-parties-label = 接收个人信息的其他个人信息处理者
transfers-label = 向境外提供
data-categories-label = 处理的个人信息种类
channels-label = 收集渠道
sensitive-label = 包含敏感个人信息
separate-consent-label = 需单独取得您的同意
sold-or-shared-label = 为广告目的共享（您可以要求我们不共享）
legitimate-interest-label = 我们的正当利益
automated-decision-label = 自动化决策
sensitive-impact-label = 处理敏感个人信息的必要性
legal-basis-consent = 取得您的同意
legal-basis-contract = 为向您提供您所请求的技术支持所必需（订立、履行合同）
legal-basis-legal-obligation = 为履行法定职责或者法定义务所必需
legal-basis-legitimate-interests = 我们的正当利益

## 处理目的（标识与 notice.toml 一致）

purpose-service-delivery-name = 处理您的技术支持请求
purpose-service-delivery-description = 当您拨打国际服务热线或中国境内售后服务热线、使用在线客服、向全球支持邮箱发送邮件或使用本网站时，我们会收集您的联系方式、您提供的产品型号和序列号，以及您对问题的描述，用于解答您的问题、核实保修状态并跟进处理直至问题解决。这些信息是提供技术支持所必需的，如您不提供，我们将无法处理您的请求。工单关闭后，上述信息将保存{ $retention }，以便处理后续的保修问题。

purpose-hotline-call-recording-name = 热线通话录音
purpose-hotline-call-recording-description = 经您同意，我们会对您拨打服务热线的通话进行录音，用于核实双方沟通的内容以及培训技术支持工程师。如您不同意，我们仍会正常接听您的来电，只是不进行录音。录音保存{ $retention }后删除。

purpose-chat-transcript-name = 保存在线客服聊天记录
purpose-chat-transcript-description = 经您同意，我们会保存您与在线客服的聊天记录，以便向您发送记录副本，并在您再次咨询时接续之前的沟通。如您不同意，聊天结束后记录即被删除。聊天记录保存{ $retention }。

purpose-cross-border-transfer-name = 由新加坡技术支持中心协助处理
purpose-cross-border-transfer-description = 部分复杂问题需要由位于新加坡的{ -gtac }协助处理。在取得您的单独同意后，我们会将您的工单信息（包括联系方式、产品信息和问题描述）提供给作为境外接收方的该中心。适用于您的出境保护措施见下方详情。您可以通过{ $data-request }向该中心申请查阅、更正或删除您的个人信息，也可以发送邮件至{ $gtac-email }与该中心联系。如您不同意，您的工单将由本地团队处理，复杂问题的处理时间可能会延长。出境的工单信息保存{ $retention }。

purpose-service-analytics-name = 改进本网站
purpose-service-analytics-description = 经您同意，我们会统计本网站帮助页面的浏览情况和站内搜索内容，用于改进我们的解答。相关数据由受我们委托的统计服务商收集，保存{ $retention }。

purpose-marketing-name = 产品资讯与广告推送
purpose-marketing-description = 经您同意，我们会通过电子邮件向您发送固件更新、新产品和活动资讯，并允许一家广告网络识别您的电子邮箱地址，以便其在其他网站上向您展示我们的广告。每封邮件均附有退订链接。您的订阅信息将保存至您退订为止；自您最后一次打开我们的邮件起{ $retention }后，订阅信息也将被删除。

## 热线话术（由客服人员向来电者宣读；{ $code } 为本次通话的同意记录凭证编号）

hotline-script-opening = 感谢您致电{ -brand }技术支持。在开始之前，我会就我们如何使用您的个人信息向您询问几个问题。对任何问题，您都可以回答“不同意”，这不会影响我们为您提供的技术支持。您可以随时改变主意，例如再次致电我们，或在我们网站的“隐私设置”中更改。
hotline-script-purpose-service-delivery = 为了帮助您，我们会使用您的姓名和联系方式、产品型号和序列号，以及您对问题的描述。这些信息是解答您的请求、核实保修状态并跟进处理直至问题解决所必需的。您的请求关闭后，上述信息将保存{ $retention }。
hotline-script-purpose-hotline-call-recording = 您是否同意我们对本次通话进行录音？录音仅用于核实双方沟通的内容以及培训技术支持工程师，并将在{ $retention }后删除。如您不同意，我们仍会正常为您提供帮助，只是不对通话进行录音。
hotline-script-purpose-cross-border-transfer = 部分复杂问题需要由位于新加坡的{ -gtac }的专家协助处理。您是否同意我们将您的工单信息（包括联系方式、产品信息和问题描述）提供给该中心？如您不同意，您的工单将由本地团队处理，复杂问题的处理时间可能会延长。
hotline-script-purpose-cross-border-transfer-separate = 下面这个问题需要取得您的单独同意，我会单独询问，与您的其他答复相互独立。您是否单独同意我们将您的工单信息（包括联系方式、产品信息和问题描述）提供给位于新加坡的{ -gtac }，由该中心的专家协助解决您的问题？您可以发送邮件至{ $gtac-email }与该中心联系，查阅、更正或删除您的个人信息。如您不同意，其他任何事项均不受影响：您的其他答复保持原样，您的工单将由本地团队处理。
hotline-script-closing = 谢谢，您的答复已记录。您的同意记录凭证编号是{ $code }。您可以凭此编号在{ $receipt-lookup }查询您的答复。

## 处理的个人信息种类

data-category-contact-details = 姓名、电子邮箱和电话号码
data-category-product-details = 产品型号和序列号
data-category-support-request = 您对问题的描述
data-category-call-audio = 通话录音
data-category-phone-number = 来电号码
data-category-chat-messages = 在线客服聊天内容
data-category-usage-data = 您在本网站浏览的页面和搜索内容
data-category-device-details = 浏览器和设备类型
data-category-marketing-preferences = 您希望接收的资讯类型

## 收集渠道

channel-hotline = 服务热线
channel-chat = 在线客服
channel-mailbox = 支持邮箱
channel-web = 本网站

## 个人信息出境

country-SG = 新加坡
safeguard-pipl-standard-contract = 个人信息出境标准合同
safeguard-eu-scc = 欧盟委员会标准合同条款

## 您的权利

rights-heading = 您的权利
rights-how = 如需行使上述权利，请填写{ $data-request }或发送邮件至{ $privacy-email }。我们将在{ $deadline }内答复，且不收取任何费用。
right-access = 查阅、复制我们持有的您的个人信息。
right-rectification = 更正、补充不准确或不完整的个人信息。
right-erasure = 要求删除您的个人信息。
right-restriction = 暂时限制我们对您个人信息的处理，例如在我们核实您的投诉期间。
right-objection = 对我们基于正当利益处理您个人信息的行为提出反对。
right-portability = 以通用格式获取您的个人信息，以便转移至您指定的其他个人信息处理者。
right-withdraw-consent = 随时撤回同意，撤回方式与作出同意同样便捷。撤回同意不影响撤回前基于您的同意已开展的处理活动。
right-explanation = 要求我们对个人信息处理规则进行解释说明。
right-opt-out-of-sale = 要求我们不出售或共享您的个人信息，也不向您推送定向广告（适用于美国各州隐私法）。
right-non-discrimination = 您不会因行使上述权利而受到差别对待。
right-sharing-information = 了解我们与哪些公司共享了您的个人信息。
right-anonymisation = 要求对不必要或过度收集的个人信息进行匿名化处理或予以封存。
right-refusal-information = 知悉您可以拒绝同意以及拒绝的后果：无论您是否同意，我们都会为您提供技术支持服务。

## 投诉

complaints-heading = 投诉与举报
complaint-eu-gdpr = 如您居住在欧盟，可以向您所在国家的数据保护机构投诉，详见{ $eu-authorities }。
complaint-br-lgpd = 如您居住在巴西，可以向巴西国家数据保护局（ANPD）投诉，详见{ $anpd }。

## 适用的法律

regime-eu-gdpr = 欧盟《通用数据保护条例》（GDPR）
regime-cn-pipl = 《中华人民共和国个人信息保护法》
regime-us-ca-ccpa = 美国《加利福尼亚州消费者隐私法》（CCPA/CPRA）
regime-br-lgpd = 巴西《通用数据保护法》（LGPD）
regime-apec-cbpr = 亚太经合组织（APEC）隐私框架
gpc-statement = 如您的浏览器发出“全球隐私控制”（GPC）信号，我们会将其视为您要求我们不出售或共享您个人信息的请求，并对该浏览器直接生效，无需您再提供其他信息。

## 链接文字（链接定义见 notice.toml）

link-privacy-policy = 《个人信息保护政策》
link-data-request = 个人信息权利申请表
link-receipt-lookup = support.example.com/privacy/receipt
link-do-not-sell = 请勿出售或共享我的个人信息
link-eu-authorities = 欧盟各国数据保护机构名单
link-anpd = ANPD官方网站

## 多法域版本新增内容（适用法律、投诉途径、权利、保护措施、链接）

legal-basis-opt-out = 已向您告知，您可以随时关闭
safeguard-uk-idta = 英国国际数据传输协议
safeguard-lgpd-scc = 巴西国家数据保护局（ANPD）标准合同条款
safeguard-apec-cbpr = 该中心取得的亚太经合组织（APEC）跨境隐私规则（CBPR）认证
right-appeal = 如我们拒绝您的请求，您可以提出申诉，我们将告知处理结果及投诉途径（适用于美国各州隐私法）。
right-nominate = 指定他人在您去世或丧失行为能力时代为行使上述权利（适用于印度）。
complaint-uk-gdpr = 如您居住在英国，可以向英国信息专员办公室（ICO）投诉：{ $ico }。
complaint-ch-fadp = 如您居住在瑞士，可以向瑞士联邦数据保护和信息专员（FDPIC）投诉：{ $fdpic }。
complaint-cn-pipl = 如您认为我们处理个人信息的行为存在问题，可以向国家网信部门举报：{ $cac }。
complaint-jp-appi = 如您居住在日本，可以向日本个人信息保护委员会（PPC）寻求帮助：{ $ppc }。
complaint-kr-pipa = 如您居住在韩国，可以向韩国个人信息保护委员会（PIPC）举报侵权行为或申请纠纷调解：{ $pipc }。
complaint-in-dpdp = 如您居住在印度且我们未能解决您的申诉，可以向印度数据保护委员会投诉：{ $dpb }。
complaint-ca-pipeda = 如您居住在加拿大，可以向加拿大隐私专员办公室投诉：{ $opc }。
complaint-ca-qc-law25 = 如您居住在魁北克，可以向魁北克信息获取委员会（CAI）投诉：{ $cai }。
complaint-us-ca-ccpa = 如您居住在美国加利福尼亚州，可以向加州隐私保护局投诉：{ $cppa }。
complaint-us-va-vcdpa = 如您居住在美国弗吉尼亚州且我们拒绝了您的申诉，可以联系弗吉尼亚州总检察长：{ $virginia-ag }。
complaint-us-co-cpa = 如您居住在美国科罗拉多州且我们拒绝了您的申诉，可以联系科罗拉多州总检察长：{ $colorado-ag }。
complaint-us-ct-ctdpa = 如您居住在美国康涅狄格州且我们拒绝了您的申诉，可以联系康涅狄格州总检察长：{ $connecticut-ag }。
complaint-us-tx-tdpsa = 如您居住在美国得克萨斯州且我们拒绝了您的申诉，可以联系得克萨斯州总检察长：{ $texas-ag }。
complaint-us-or-ocpa = 如您居住在美国俄勒冈州且我们拒绝了您的申诉，可以联系俄勒冈州司法部：{ $oregon-doj }。
regime-uk-gdpr = 英国《通用数据保护条例》及《2018年数据保护法》（UK GDPR）
regime-ch-fadp = 瑞士《联邦数据保护法》（FADP）
regime-jp-appi = 日本《个人信息保护法》（APPI）
regime-kr-pipa = 韩国《个人信息保护法》（PIPA）
regime-in-dpdp = 印度《2023年数字个人数据保护法》（DPDP）
regime-ca-pipeda = 加拿大《个人信息保护和电子文件法》（PIPEDA）
regime-ca-qc-law25 = 魁北克《私营部门个人信息保护法》（第25号法律）
regime-us-va-vcdpa = 美国弗吉尼亚州《消费者数据保护法》
regime-us-co-cpa = 美国科罗拉多州《隐私法》
regime-us-ct-ctdpa = 美国康涅狄格州《数据隐私法》
regime-us-tx-tdpsa = 美国得克萨斯州《数据隐私和安全法》
regime-us-or-ocpa = 美国俄勒冈州《消费者隐私法》
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
