### إشعار الخصوصية لموقع دعم Lumenwave: العربية (تُعرض من اليمين إلى اليسار).
### يجب أن تطابق الرسائل رسائل en.ftl. العناصر النائبة:
###   { -brand }، { -gtac }     أسماء معرّفة مرة واحدة أدناه
###   { $privacy-policy } …     روابط من [links] في notice.toml؛ نص الرابط هو link-<الاسم>

-brand = لومن ويف
-gtac = المركز العالمي للمساعدة الفنية التابع لشركة { -brand }

## اختيار اللغة

language-name = العربية
language-label = اللغة

## الطبقة الأولى (الشريط)

banner-title = خصوصيتك لدى خدمة دعم { -brand }
banner-body = نستخدم بياناتك للرد على طلبات الدعم التي ترسلها. وإذا وافقت، نسجّل أيضًا المكالمات الواردة إلى خطوطنا الهاتفية، ونحتفظ بنصوص المحادثات، ونتيح لمركز الدعم التابع لنا في سنغافورة معالجة طلباتك، ونقيس كيفية استخدام هذا الموقع، ونرسل إليك أخبار منتجاتنا. يمكنك تغيير اختياراتك في أي وقت من «إعدادات الخصوصية». وتجد التفاصيل في { $privacy-policy } الخاصة بنا.
accept-all = قبول الكل
reject-all = رفض الكل
open-settings = تخصيص اختياراتي

## الطبقة الثانية (الإعدادات)

settings-title = إعدادات الخصوصية
settings-intro = اختر ما يُسمح لنا بفعله ببياناتك. يُقدَّم لك الدعم الذي تطلبه أيًّا كان اختيارك هنا. يمكنك سحب موافقتك في أي وقت، ولا يؤثر ذلك في ما قمنا به قبل سحبها. هل لديك سؤال؟ راسلنا على { $privacy-email }.
save-choices = حفظ اختياراتي
close = إغلاق
required-purpose = مفعّل دائمًا
privacy-settings = إعدادات الخصوصية
decision-saved = تم حفظ اختياراتك.
withdraw-all = سحب جميع الموافقات
download-receipt = تنزيل إيصال موافقتي
gpc-honoured = تم احترام إشارة «التحكم العالمي في الخصوصية» (GPC) الصادرة عن متصفحك.

## خطوات الموافقة والتفاصيل والمنطقة والقواعد المبيّنة في الإشعار

agree = أوافق
disagree = لا أوافق
show-details = التفاصيل
separate-consent-title = موافقتك المنفصلة
separate-consent-intro = يحتاج هذا الاستخدام لبياناتك إلى موافقة خاصة به، منفصلة عن اختياراتك الأخرى. إذا لم توافق، فلن يتغير أي شيء آخر.
separate-consent-step = الخطوة { $step } من { $steps }
separate-consent-waiting = بعض الأسئلة المتعلقة بموافقتك المنفصلة بانتظار ردك.
separate-consent-resume = أجب عنها الآن
guardian-label = أنا أحد الوالدين أو الوصي الشرعي على طفل يقل عمره عن { $age } عامًا، وأتخذ هذه الاختيارات نيابةً عنه
gpc-held-label = متوقف بسبب إشارة «التحكم العالمي في الخصوصية»
gpc-opt-in-title = هل تسمح بذلك رغم إشارة «التحكم العالمي في الخصوصية»؟
gpc-opt-in-intro = يرسل متصفحك إشارة «التحكم العالمي في الخصوصية» (GPC). نعاملها على أنها طلب منك بعدم بيع معلوماتك الشخصية أو مشاركتها، وهذا الاستخدام مشمول بها، لذا فهو متوقف. إذا وافقت، فإنك تسمح به على هذا الموقع رغم ذلك، ويمكنك إيقافه مجددًا في أي وقت. وإذا لم توافق، يبقى متوقفًا.
notice-region-heading = مكانك والقواعد التي تنطبق عليك
region-label = منطقتك
region-other = منطقة أخرى
region-source-site-option = حدّدها هذا الموقع
region-source-edge-header = بحسب موقع شبكتك
region-source-time-zone = مُستنتجة من منطقتك الزمنية
region-source-language = مُستنتجة من لغة متصفحك
region-source-user-selection = اخترتها بنفسك
region-source-default = غير معروفة، لذا تُطبّق أكثر القواعد صرامة
opt-out-label = مفعّل إلى أن توقفه
barred-for-child-label = غير متاح للأطفال
other-regions-heading = مناطق أخرى
regime-reason-visitor-region = قانون المكان الذي تقيم فيه
regime-reason-visitor-country = قانون بلدك
regime-reason-controller-establishment = قانون البلد الذي تأسسنا فيه
regime-reason-unlisted-region = القواعد الخاصة بالمناطق التي لا يذكرها إشعارنا
regime-reason-unknown-region = منطقتك غير معروفة، لذلك تنطبق أشد القواعد صرامة
categories-heading = البيانات الشخصية التي نجمعها
category-sold = تُباع أو تُشارك لأغراض إعلانية
category-not-sold = لا تُباع ولا تُشارك

## الإشعار الكامل

full-notice-title = إشعار الخصوصية لدعم { -brand }
open-full-notice = قراءة إشعار الخصوصية كاملًا
notice-version-label = الإصدار
purposes-heading = لماذا نستخدم بياناتك
controller-heading = المتحكم في بياناتك (الجهة المسؤولة عنها)
dpo-heading = مسؤول حماية البيانات
eu-representative-heading = ممثلنا في الاتحاد الأوروبي
china-representative-heading = ممثلنا في الصين
uk-representative-heading = ممثلنا في المملكة المتحدة
swiss-representative-heading = ممثلنا في سويسرا
korea-representative-heading = وكيلنا المحلي في كوريا
head-label = يمثلها
address-label = العنوان
email-label = البريد الإلكتروني
phone-label = الهاتف
regime-label = قوانين الخصوصية التي تنطبق عليك

## تفاصيل كل غرض

legal-basis-label = لماذا يحق لنا ذلك
retention-label = مدة الاحتفاظ
recipients-label = من يتلقى البيانات
processors-label = مقدّمو خدمات يعالجون البيانات لحسابنا (المعالجون)
third-parties-label = شركات أخرى تتلقى البيانات
transfers-label = تُرسل إلى دول أخرى
data-categories-label = البيانات التي نستخدمها
channels-label = أين نجمعها
sensitive-label = تشمل بيانات شخصية حساسة
separate-consent-label = نطلب موافقتك على ذلك بشكل منفصل
sold-or-shared-label = تُشارك لأغراض إعلانية (يمكنك أن تطلب عدم مشاركتها)
legitimate-interest-label = مصلحتنا المشروعة
automated-decision-label = القرارات الآلية
sensitive-impact-label = لماذا نحتاج إلى بيانات حساسة

legal-basis-consent = موافقتك
legal-basis-contract = ضروري لتقديم الدعم الذي طلبته
legal-basis-legal-obligation = يفرضه القانون
legal-basis-legitimate-interests = مصالحنا المشروعة

## الأغراض (المعرّفات من notice.toml)

purpose-service-delivery-name = الرد على طلبات الدعم
purpose-service-delivery-description = عندما تتصل بخطنا الدولي أو بخط خدمة ما بعد البيع في الصين، أو تحادثنا عبر الدردشة، أو تراسل صندوق بريد الدعم العالمي، أو تستخدم هذا الموقع، نستخدم بيانات الاتصال الخاصة بك، والمنتج والرقم التسلسلي اللذين تذكرهما، وما تكتبه أو تقوله عن المشكلة. نحتاج إلى ذلك لمساعدتك والتحقق من الضمان ومتابعة المشكلة حتى حلّها، ولا يمكننا مساعدتك من دونه. نحتفظ بهذه البيانات لمدة { $retention } بعد إغلاق طلبك، لأن أسئلة الضمان قد تتكرر.

purpose-hotline-call-recording-name = تسجيل المكالمات الهاتفية
purpose-hotline-call-recording-description = إذا وافقت، نسجّل مكالماتك مع خطوطنا الهاتفية لنتمكن من التحقق مما تم الاتفاق عليه وتدريب مهندسي الدعم لدينا. وإذا رفضت، نتلقى مكالمتك كالمعتاد ولكن من دون تسجيلها. تُحذف التسجيلات بعد { $retention }.

purpose-chat-transcript-name = حفظ نصوص المحادثات
purpose-chat-transcript-description = إذا وافقت، نحتفظ بنص محادثتك لنرسل إليك نسخة منه ونستأنف من حيث توقفنا عندما تتواصل معنا مجددًا. وإذا رفضت، يُحذف النص عند انتهاء المحادثة. نحتفظ بنصوص المحادثات لمدة { $retention }.

purpose-cross-border-transfer-name = مساعدة مركز الدعم التابع لنا في سنغافورة
purpose-cross-border-transfer-description = تحتاج بعض المشكلات إلى خبراء { -gtac } في سنغافورة. إذا وافقت على ذلك بشكل منفصل، نرسل إليهم طلبك: بيانات الاتصال الخاصة بك وبيانات منتجك ووصف المشكلة. تظهر الضمانات التي تحمي هذا النقل في حالتك ضمن التفاصيل أدناه. يمكنك أن تطلب من المركز أن يتيح لك الاطلاع على بياناتك أو أن يصححها أو يحذفها عبر { $data-request }، أو أن تراسله على { $gtac-email }. وإذا رفضت، تتولى فرقنا المحلية طلبك، وقد يستغرق ذلك وقتًا أطول في المشكلات المعقدة. نحتفظ بالطلبات المنقولة لمدة { $retention }.

purpose-service-analytics-name = تحسين هذا الموقع
purpose-service-analytics-description = إذا وافقت، نحصي صفحات المساعدة التي تُقرأ وما يبحث عنه الزوار في هذا الموقع لنحسّن إجاباتنا. تجمع هذه البيانات خدمة قياس تعمل لحسابنا وتحتفظ بها لمدة { $retention }.

purpose-marketing-name = أخبار المنتجات وإعلاناتنا
purpose-marketing-description = إذا وافقت، نرسل إليك رسائل بريد إلكتروني عن تحديثات البرامج الثابتة والمنتجات الجديدة والفعاليات، ونسمح لشبكة إعلانية بالتعرف على عنوان بريدك الإلكتروني لتعرض لك إعلاناتنا على مواقع أخرى. تتضمن كل رسالة رابطًا لإلغاء الاشتراك. نحتفظ باشتراكك حتى تلغيه، ونحذفه بعد { $retention } من آخر مرة فتحت فيها إحدى رسائلنا.

## البيانات التي نستخدمها (الفئات من notice.toml)

data-category-contact-details = الاسم وعنوان البريد الإلكتروني ورقم الهاتف
data-category-product-details = طراز المنتج ورقمه التسلسلي
data-category-support-request = ما تخبرنا به عن المشكلة
data-category-call-audio = تسجيلات مكالماتك
data-category-phone-number = الرقم الذي تتصل منه
data-category-chat-messages = رسائلك في الدردشة
data-category-usage-data = الصفحات التي تقرؤها وعمليات البحث التي تجريها في هذا الموقع
data-category-device-details = نوع المتصفح والجهاز
data-category-marketing-preferences = الأخبار التي تريد تلقيها

## أين نجمعها (القنوات)

channel-hotline = الخطوط الهاتفية
channel-chat = الدردشة عبر الإنترنت
channel-mailbox = صندوق بريد الدعم
channel-web = هذا الموقع

## النقل إلى الخارج

country-SG = سنغافورة
safeguard-pipl-standard-contract = العقد النموذجي لنقل المعلومات الشخصية خارج الصين
safeguard-eu-scc = البنود التعاقدية النموذجية الصادرة عن المفوضية الأوروبية

## حقوقك

rights-heading = حقوقك
rights-how = لممارسة أي من هذه الحقوق، املأ { $data-request } أو راسلنا على { $privacy-email }. نرد خلال { $deadline }، ومن دون أي تكلفة عليك.
right-access = الاطلاع على البيانات التي نحتفظ بها عنك والحصول على نسخة منها.
right-rectification = تصحيح بياناتك غير الدقيقة أو استكمال الناقص منها.
right-erasure = حذف بياناتك.
right-restriction = تقييد معالجة بياناتك، أي أن نتوقف عن استخدامها مؤقتًا، مثلًا أثناء دراسة شكوى.
right-objection = الاعتراض على استخدامنا لبياناتك عندما نستند إلى مصلحتنا المشروعة.
right-portability = الحصول على بياناتك بصيغة شائعة الاستخدام لنقلها إلى جهة أخرى.
right-withdraw-consent = سحب موافقتك في أي وقت وبالسهولة نفسها التي منحتها بها. ولا يؤثر ذلك في ما قمنا به قبل سحبها.
right-explanation = أن تطلب منا شرح طريقة تعاملنا مع بياناتك.
right-opt-out-of-sale = أن تطلب عدم بيع بياناتك أو مشاركتها وعدم استخدامها في الإعلانات الموجهة (قوانين الخصوصية في الولايات الأمريكية).
right-non-discrimination = لن نعاملك بشكل أسوأ لأنك مارست حقوقك.
right-sharing-information = معرفة الشركات التي شاركنا بياناتك معها.
right-anonymisation = إخفاء هوية البيانات غير الضرورية أو المفرطة أو حجبها.
right-refusal-information = أن تعرف أنه يمكنك رفض الموافقة وما يترتب على ذلك: الدعم يعمل في جميع الأحوال.

## الشكاوى

complaints-heading = الشكاوى
complaint-eu-gdpr = إذا كنت تقيم في الاتحاد الأوروبي، يمكنك تقديم شكوى إلى هيئة حماية البيانات في بلدك: راجع { $eu-authorities }.
complaint-br-lgpd = إذا كنت تقيم في البرازيل، يمكنك تقديم شكوى إلى الهيئة الوطنية لحماية البيانات (ANPD): راجع { $anpd }.

## قوانين الخصوصية (المناطق من notice.toml)

regime-eu-gdpr = اللائحة العامة لحماية البيانات في الاتحاد الأوروبي (GDPR)
regime-cn-pipl = قانون حماية المعلومات الشخصية في الصين (PIPL)
regime-us-ca-ccpa = قانون خصوصية المستهلك في كاليفورنيا (CCPA/CPRA)
regime-br-lgpd = القانون العام لحماية البيانات في البرازيل (LGPD)
regime-apec-cbpr = إطار الخصوصية لمنتدى التعاون الاقتصادي لآسيا والمحيط الهادئ (APEC)
gpc-statement = إذا أرسل متصفحك إشارة «التحكم العالمي في الخصوصية» (GPC)، نعاملها على أنها طلب منك بعدم بيع بياناتك أو مشاركتها، لهذا المتصفح، من دون أن نطلب منك أي شيء آخر.

## نصوص الروابط (الروابط من notice.toml)

link-privacy-policy = سياسة الخصوصية
link-data-request = نموذج طلبات الخصوصية
link-do-not-sell = لا تبيعوا معلوماتي الشخصية ولا تشاركوها
link-eu-authorities = قائمة هيئات حماية البيانات في الاتحاد الأوروبي
link-anpd = موقع الهيئة الوطنية لحماية البيانات في البرازيل

## أُضيفت مع الإشعار متعدد الأنظمة (القوانين والشكاوى والحقوق والضمانات والروابط)

legal-basis-opt-out = نُعلمك بذلك، ويمكنك إيقافه في أي وقت
safeguard-uk-idta = اتفاقية نقل البيانات الدولية في المملكة المتحدة
safeguard-lgpd-scc = البنود التعاقدية النموذجية الصادرة عن الهيئة الوطنية لحماية البيانات في البرازيل (ANPD)
safeguard-apec-cbpr = شهادة المركز بموجب قواعد الخصوصية العابرة للحدود لمنتدى التعاون الاقتصادي لآسيا والمحيط الهادئ (APEC)
right-appeal = أن تطعن إذا رفضنا طلبك؛ ونُعلمك بالنتيجة وبكيفية تقديم شكوى (قوانين الخصوصية في الولايات الأمريكية).
right-nominate = أن تعيّن شخصًا يمارس هذه الحقوق نيابةً عنك إذا توفيت أو عجزت عن ممارستها بنفسك (الهند).
complaint-uk-gdpr = إذا كنت تقيم في المملكة المتحدة، يمكنك تقديم شكوى إلى مكتب مفوض المعلومات (ICO): { $ico }.
complaint-ch-fadp = إذا كنت تقيم في سويسرا، يمكنك تقديم شكوى إلى المفوض الاتحادي لحماية البيانات والمعلومات (FDPIC): { $fdpic }.
complaint-cn-pipl = يمكنك الإبلاغ عن مشكلة في معالجتنا لمعلوماتك الشخصية إلى إدارة الفضاء الإلكتروني في الصين: { $cac }.
complaint-jp-appi = إذا كنت تقيم في اليابان، يمكنك طلب المساعدة من لجنة حماية المعلومات الشخصية (PPC): { $ppc }.
complaint-kr-pipa = إذا كنت تقيم في كوريا، يمكنك الإبلاغ عن انتهاك أو طلب الوساطة لدى لجنة حماية المعلومات الشخصية (PIPC): { $pipc }.
complaint-in-dpdp = إذا كنت تقيم في الهند ولم نُسوِّ تظلمك، يمكنك تقديم شكوى إلى مجلس حماية البيانات في الهند: { $dpb }.
complaint-ca-pipeda = إذا كنت تقيم في كندا، يمكنك تقديم شكوى إلى مكتب مفوض الخصوصية في كندا: { $opc }.
complaint-ca-qc-law25 = إذا كنت تقيم في كيبيك، يمكنك تقديم شكوى إلى لجنة الوصول إلى المعلومات (CAI): { $cai }.
complaint-us-ca-ccpa = إذا كنت تقيم في كاليفورنيا، يمكنك تقديم شكوى إلى وكالة حماية الخصوصية في كاليفورنيا: { $cppa }.
complaint-us-va-vcdpa = إذا كنت تقيم في فرجينيا ورفضنا طعنك، يمكنك التواصل مع المدعي العام لولاية فرجينيا: { $virginia-ag }.
complaint-us-co-cpa = إذا كنت تقيم في كولورادو ورفضنا طعنك، يمكنك التواصل مع المدعي العام لولاية كولورادو: { $colorado-ag }.
complaint-us-ct-ctdpa = إذا كنت تقيم في كونيتيكت ورفضنا طعنك، يمكنك التواصل مع المدعي العام لولاية كونيتيكت: { $connecticut-ag }.
complaint-us-tx-tdpsa = إذا كنت تقيم في تكساس ورفضنا طعنك، يمكنك التواصل مع المدعي العام لولاية تكساس: { $texas-ag }.
complaint-us-or-ocpa = إذا كنت تقيم في أوريغون ورفضنا طعنك، يمكنك التواصل مع وزارة العدل في ولاية أوريغون: { $oregon-doj }.
regime-uk-gdpr = اللائحة العامة لحماية البيانات في المملكة المتحدة وقانون حماية البيانات لعام 2018 (UK GDPR)
regime-ch-fadp = القانون الاتحادي السويسري لحماية البيانات (FADP)
regime-jp-appi = قانون حماية المعلومات الشخصية في اليابان (APPI)
regime-kr-pipa = قانون حماية المعلومات الشخصية في كوريا (PIPA)
regime-in-dpdp = قانون حماية البيانات الشخصية الرقمية لعام 2023 في الهند (DPDP)
regime-ca-pipeda = قانون حماية المعلومات الشخصية والوثائق الإلكترونية في كندا (PIPEDA)
regime-ca-qc-law25 = قانون حماية المعلومات الشخصية في القطاع الخاص في كيبيك (القانون 25)
regime-us-va-vcdpa = قانون حماية بيانات المستهلك في ولاية فرجينيا
regime-us-co-cpa = قانون الخصوصية في ولاية كولورادو
regime-us-ct-ctdpa = قانون خصوصية البيانات في ولاية كونيتيكت
regime-us-tx-tdpsa = قانون خصوصية البيانات وأمنها في ولاية تكساس
regime-us-or-ocpa = قانون خصوصية المستهلك في ولاية أوريغون
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
