#!/usr/bin/python3
"""Field parser check on card texts from many countries, written line by line as the cards print
them and labelled by hand (issue 13: round 10's held-out parse set CARDS, round 11's CARDS11,
round 12's CARDS12 and CARDS12H, each written before any run of the reader on it; each set is
scored on its own line). Each text goes through `greeter cards parse --region R` (no OCR; R is the entry's board region,
US but for round 12's Brazilian cards read on a BR board) and is scored
with the rules of ../shared/tools/real_score.py: name exact (case-folded), company equal ignoring
punctuation and case, title contained, e-mails, websites and phones as sets.

usage: tests/bench/ocr_parse_cards.py [BUILD_DIR] [-v]     (docs/BENCHMARKS.md)"""
import json, os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("GREETER_SHARED", os.path.join(here, "..", "..", "..", "shared"))
if not os.path.exists(os.path.join(shared, "tools", "card_score.py")):
    print(f"ocr_parse_cards: {shared}/tools/card_score.py is absent", file=sys.stderr)
    sys.exit(77)
sys.path.insert(0, os.path.join(shared, "tools"))
from card_score import norm, site, phone_eq, set_eq  # noqa: E402

CARDS = [
("US", """NORTHWIND TRADERS
Global Supply Chain Solutions
Robert J. Kim
Vice President, Procurement
2200 Pennsylvania Ave NW, Suite 500
Washington, DC 20037
Office: 202.555.0166
Mobile: 571.555.0129
rkim@northwindtraders.com
www.northwindtraders.com
""", dict(name="Robert J. Kim", title="Vice President, Procurement", company="NORTHWIND TRADERS",
          phones=["+12025550166", "+15715550129"], emails=["rkim@northwindtraders.com"], websites=["www.northwindtraders.com"])),
("US", """Sophie Laurent
Responsable Marketing
Éditions Papillon SARL
18, boulevard Haussmann
75009 Paris, France
Tél. +33 1 42 46 72 00
Mob. +33 6 45 12 78 90
s.laurent@editions-papillon.fr
""", dict(name="Sophie Laurent", title="Responsable Marketing", company="Éditions Papillon SARL",
          phones=["+33142467200", "+33645127890"], emails=["s.laurent@editions-papillon.fr"], websites=[])),
("US", """Hans Bergmann
Technischer Leiter
Bergmann Automation AG
Seestrasse 120
8002 Zürich
Schweiz
T +41 44 123 45 67
hans.bergmann@bergmann-automation.ch
www.bergmann-automation.ch
""", dict(name="Hans Bergmann", title="Technischer Leiter", company="Bergmann Automation AG",
          phones=["+41441234567"], emails=["hans.bergmann@bergmann-automation.ch"], websites=["www.bergmann-automation.ch"])),
("US", """SUZUKI Ichiro
Assistant Manager
International Business Department
Hayashi Kogyo Co., Ltd.
2-15-1 Konan, Minato-ku, Tokyo 108-0075, Japan
TEL: +81-3-5463-1234
FAX: +81-3-5463-1235
i.suzuki@hayashi-kogyo.co.jp
""", dict(name="SUZUKI Ichiro", title="Assistant Manager", company="Hayashi Kogyo Co., Ltd.",
          phones=["+81354631234", "+81354631235"], emails=["i.suzuki@hayashi-kogyo.co.jp"], websites=[])),
("US", """Park Ji-yeon
Senior Researcher
Hanbit Biotech Inc.
45 Gwanggyo-ro, Yeongtong-gu, Suwon-si
Gyeonggi-do 16229, Korea
T. 031-888-1234
M. 010-9876-5432
jypark@hanbitbio.co.kr
""", dict(name="Park Ji-yeon", title="Senior Researcher", company="Hanbit Biotech Inc.",
          phones=["+82318881234", "+821098765432"], emails=["jypark@hanbitbio.co.kr"], websites=[])),
("US", """Arjun Mehta
Chief Financial Officer
Sterling Finserv Pvt. Ltd.
501, Maker Chambers V, Nariman Point
Mumbai 400 021, India
Tel: +91 22 6654 3210
Mob: +91 98200 54321
arjun.mehta@sterlingfinserv.in
www.sterlingfinserv.in
""", dict(name="Arjun Mehta", title="Chief Financial Officer", company="Sterling Finserv Pvt. Ltd.",
          phones=["+912266543210", "+919820054321"], emails=["arjun.mehta@sterlingfinserv.in"], websites=["www.sterlingfinserv.in"])),
("US", """Tran Minh Khoa
Project Manager
Saigon Build Corporation
12 Ton Duc Thang, District 1, Ho Chi Minh City
Tel: +84 28 3822 1234
Mobile: +84 903 456 789
khoa.tran@saigonbuild.vn
""", dict(name="Tran Minh Khoa", title="Project Manager", company="Saigon Build Corporation",
          phones=["+842838221234", "+84903456789"], emails=["khoa.tran@saigonbuild.vn"], websites=[])),
("US", """Olivia Harper
Creative Director
Harper & Lane Design Ltd
Studio 4, 27 Shoreditch High Street
London E1 6PN
T: 020 7946 0321
M: 07700 900456
olivia@harperlane.co.uk
harperlane.co.uk
""", dict(name="Olivia Harper", title="Creative Director", company="Harper & Lane Design Ltd",
          phones=["+442079460321", "+447700900456"], emails=["olivia@harperlane.co.uk"], websites=["harperlane.co.uk"])),
("US", """Lucas Pereira Santos
Diretor de Operações
Logística Sul Transportes Ltda.
Av. Ipiranga, 6681 - Partenon
Porto Alegre - RS, 90619-900
Fone: (51) 3320-3500
Cel: (51) 99876-5432
lucas.santos@logisticasul.com.br
""", dict(name="Lucas Pereira Santos", title="Diretor de Operações", company="Logística Sul Transportes Ltda.",
          phones=["+555133203500", "+5551998765432"], emails=["lucas.santos@logisticasul.com.br"], websites=[])),
("US", """Mark de Jong
Senior Developer
Tulip Software B.V.
Keizersgracht 555
1017 DR Amsterdam
+31 20 555 1234
+31 6 5555 1234
mark.dejong@tulipsoftware.nl
""", dict(name="Mark de Jong", title="Senior Developer", company="Tulip Software B.V.",
          phones=["+31205551234", "+31655551234"], emails=["mark.dejong@tulipsoftware.nl"], websites=[])),
("US", """Fatima Zahra El Amrani
Responsable Export
Atlas Agro SARL
Bd Mohammed V, Casablanca
Maroc
Tél: +212 522 123 456
GSM: +212 661 234 567
f.elamrani@atlasagro.ma
""", dict(name="Fatima Zahra El Amrani", title="Responsable Export", company="Atlas Agro SARL",
          phones=["+212522123456", "+212661234567"], emails=["f.elamrani@atlasagro.ma"], websites=[])),
("US", """Wang Fang
Purchasing Manager
Ningbo Oriental Textile Co., Ltd.
No. 88 Zhongshan East Road, Ningbo, Zhejiang, China
Tel: +86 574 8765 4321
Mobile: +86 139 5742 1234
wangfang@orientaltextile.com.cn
""", dict(name="Wang Fang", title="Purchasing Manager", company="Ningbo Oriental Textile Co., Ltd.",
          phones=["+8657487654321", "+8613957421234"], emails=["wangfang@orientaltextile.com.cn"], websites=[])),
]

# Round 11's held-out set: 14 more cards (Sweden, India, Czechia, Singapore, the UK, Brazil, Korea,
# Italy, Indonesia, the US, Japan, Vietnam, the Netherlands, Nigeria).
CARDS11 = [
("US", """Lindqvist & Berg AB
Karin Sjöberg
Inköpschef
Drottninggatan 25
111 51 Stockholm
Tel 08-555 123 00
Mobil 070-555 12 34
karin.sjoberg@lindqvistberg.se
www.lindqvistberg.se
""", dict(name="Karin Sjöberg", title="Inköpschef", company="Lindqvist & Berg AB",
          phones=["+46855512300", "+46705551234"], emails=["karin.sjoberg@lindqvistberg.se"], websites=["www.lindqvistberg.se"])),
("US", """Dr. Rahul Verma
Senior Consultant - Cardiology
Sunrise Multispeciality Hospital
Plot 7, Sector 44, Gurugram - 122003, Haryana
Mob: 98110 23456
rahul.verma@sunrisehospital.in
""", dict(name="Rahul Verma", title="Senior Consultant", company="Sunrise Multispeciality Hospital",
          phones=["+919811023456"], emails=["rahul.verma@sunrisehospital.in"], websites=[])),
("US", """MARTINA NOVOTNÁ
Vedoucí obchodu
Pivovar Horák s.r.o.
Náměstí Míru 8, 612 00 Brno
tel.: +420 541 123 456
martina.novotna@pivovarhorak.cz
www.pivovarhorak.cz
""", dict(name="MARTINA NOVOTNÁ", title="Vedoucí obchodu", company="Pivovar Horák s.r.o.",
          phones=["+420541123456"], emails=["martina.novotna@pivovarhorak.cz"], websites=["www.pivovarhorak.cz"])),
("US", """Oceanic Freight Pte. Ltd.
Goh Wei Jie
Operations Executive
51 Bras Basah Road, #05-01, Singapore 189554
Tel: 6338 1122
HP: 9876 5432
weijie.goh@oceanicfreight.com.sg
""", dict(name="Goh Wei Jie", title="Operations Executive", company="Oceanic Freight Pte. Ltd.",
          phones=["+6563381122", "+6598765432"], emails=["weijie.goh@oceanicfreight.com.sg"], websites=[])),
("US", """Emma Clarke
Head of Partnerships
Brightpath Learning Ltd
The Old Mill, 3 Water Lane, Leeds LS11 5QN
T: 0113 496 0123
M: 07700 900456
emma.clarke@brightpathlearning.co.uk
brightpathlearning.co.uk
""", dict(name="Emma Clarke", title="Head of Partnerships", company="Brightpath Learning Ltd",
          phones=["+441134960123", "+447700900456"], emails=["emma.clarke@brightpathlearning.co.uk"], websites=["brightpathlearning.co.uk"])),
("US", """Carlos Eduardo Pereira
Gerente de Vendas
Metalúrgica Paraná Ltda.
Rod. BR-277, km 12 - Curitiba - PR
CEP 81450-000
(41) 3333-4455 | (41) 98888-7766
carlos.pereira@metalparana.com.br
""", dict(name="Carlos Eduardo Pereira", title="Gerente de Vendas", company="Metalúrgica Paraná Ltda.",
          phones=["+554133334455", "+5541988887766"], emails=["carlos.pereira@metalparana.com.br"], websites=[])),
("US", """Lee Seung-woo
Team Leader, Procurement
MIRAE LOGISTICS CO., LTD.
77, Sejong-daero, Jung-gu, Seoul 04512, Korea
T 82-2-777-1234
M 82-10-5555-7777
sw.lee@miraelogis.co.kr
""", dict(name="Lee Seung-woo", title="Team Leader, Procurement", company="MIRAE LOGISTICS CO., LTD.",
          phones=["+8227771234", "+821055557777"], emails=["sw.lee@miraelogis.co.kr"], websites=[])),
("US", """Giulia Ferraro
Export Manager
Cantina Ferraro S.r.l.
Via dei Vigneti 14 - 12051 Alba (CN)
Tel. +39 0173 123456
Cell. +39 347 1234567
giulia@cantinaferraro.it
www.cantinaferraro.it
""", dict(name="Giulia Ferraro", title="Export Manager", company="Cantina Ferraro S.r.l.",
          phones=["+390173123456", "+393471234567"], emails=["giulia@cantinaferraro.it"], websites=["www.cantinaferraro.it"])),
("US", """PT MAJU BERSAMA SEJAHTERA
Dewi Lestari
Direktur
Jl. Gatot Subroto No. 88, Bandung 40262
Telp. (022) 731 2345
HP 0811 2233 445
dewi@majubersama.co.id
""", dict(name="Dewi Lestari", title="Direktur", company="PT MAJU BERSAMA SEJAHTERA",
          phones=["+62227312345", "+628112233445"], emails=["dewi@majubersama.co.id"], websites=[])),
("US", """Kevin O'Connor, CPA
Partner
O'Connor & Walsh LLP
1 Liberty Plaza, 23rd Floor
New York, NY 10006
Direct 212.555.0171
koconnor@oconnorwalsh.com
""", dict(name="Kevin O'Connor", title="Partner", company="O'Connor & Walsh LLP",
          phones=["+12125550171"], emails=["koconnor@oconnorwalsh.com"], websites=[])),
("US", """Yamada Hanako
Senior Designer
Creative Division
KAZE DESIGN STUDIO INC.
3-4-5 Jingumae, Shibuya-ku, Tokyo 150-0001
TEL 03-6555-7788
hanako.yamada@kazedesign.jp
""", dict(name="Yamada Hanako", title="Senior Designer", company="KAZE DESIGN STUDIO INC.",
          phones=["+81365557788"], emails=["hanako.yamada@kazedesign.jp"], websites=[])),
("US", """Bùi Quang Huy
Phó Giám đốc
CÔNG TY CỔ PHẦN XÂY DỰNG HƯNG THỊNH
45 Trần Phú, Ba Đình, Hà Nội
ĐT: 024 3733 1234
DĐ: 0912 888 999
huy.bq@hungthinhcorp.vn
""", dict(name="Bùi Quang Huy", title="Phó Giám đốc", company="CÔNG TY CỔ PHẦN XÂY DỰNG HƯNG THỊNH",
          phones=["+842437331234", "+84912888999"], emails=["huy.bq@hungthinhcorp.vn"], websites=[])),
("US", """Mark de Vries
Accountmanager
Hollandia Verpakkingen B.V.
Industrieweg 8
3044 AS Rotterdam
T +31 10 123 4567
M +31 6 2345 6789
m.devries@hollandia-verpakkingen.nl
""", dict(name="Mark de Vries", title="Accountmanager", company="Hollandia Verpakkingen B.V.",
          phones=["+31101234567", "+31623456789"], emails=["m.devries@hollandia-verpakkingen.nl"], websites=[])),
("US", """Olumide Adeyemi
Business Development Manager
Lagos Agro Processing Ltd
Plot 12, Admiralty Way, Lekki Phase 1, Lagos, Nigeria
+234 803 123 4567
olumide.adeyemi@lagosagro.ng
""", dict(name="Olumide Adeyemi", title="Business Development Manager", company="Lagos Agro Processing Ltd",
          phones=["+2348031234567"], emails=["olumide.adeyemi@lagosagro.ng"], websites=[])),
]


CARDS12 = [
("BR", """AUTO ELÉTRICA SÃO JORGE
Baterias - Alternadores - Motores de Arranque
Marcos Antônio Pereira
Proprietário
Rua Voluntários da Pátria, 1520 - Santana
São Paulo - SP - CEP 02011-000
Fone: (11) 2979-4410
Cel.: (11) 99812-3307
WhatsApp (11) 97455-0192
autoeletricasaojorge@gmail.com
""", dict(name="Marcos Antônio Pereira", title="Proprietário", company="AUTO ELÉTRICA SÃO JORGE",
          phones=["+551129794410", "+5511998123307", "+5511974550192"], emails=["autoeletricasaojorge@gmail.com"], websites=[])),
("BR", """Dra. Fernanda Costa Ribeiro
Cirurgiã-Dentista
CRO-SP 84.221
Clínica Sorriso Perfeito
Av. Paulista, 2073 - Conj. 1412
Bela Vista - São Paulo/SP
Tel.: 11 3284-7760
fernanda@sorrisoperfeito.com.br
www.sorrisoperfeito.com.br
""", dict(name="Fernanda Costa Ribeiro", title="Cirurgiã-Dentista", company="Clínica Sorriso Perfeito",
          phones=["+551132847760"], emails=["fernanda@sorrisoperfeito.com.br"], websites=["www.sorrisoperfeito.com.br"])),
("BR", """Transportadora Rodoleve Ltda.
Juliana Mendes
Gerente Comercial
Rod. Anhanguera, km 104
Sumaré - SP  13180-000
PABX: +55 19 3854-2200
Celular: +55 19 98101-4455
juliana.mendes@rodoleve.com.br
""", dict(name="Juliana Mendes", title="Gerente Comercial", company="Transportadora Rodoleve Ltda.",
          phones=["+551938542200", "+5519981014455"], emails=["juliana.mendes@rodoleve.com.br"], websites=[])),
("US", """Studio Bianchi Architetti
Arch. Lorenzo Bianchi
Socio Fondatore
Via della Moscova, 18
20121 Milano MI
tel. +39 02 8645 3321
cell. +39 347 218 9054
lorenzo@studiobianchi.it
www.studiobianchi.it
""", dict(name="Lorenzo Bianchi", title="Socio Fondatore", company="Studio Bianchi Architetti",
          phones=["+390286453321", "+393472189054"], emails=["lorenzo@studiobianchi.it"], websites=["www.studiobianchi.it"])),
("US", """Pieter van der Berg
Accountmanager
Van Dijk Installatietechniek B.V.
Industrieweg 42
3542 AD Utrecht
T 030 241 55 60
M 06 1234 5678
p.vanderberg@vandijk-installatie.nl
""", dict(name="Pieter van der Berg", title="Accountmanager", company="Van Dijk Installatietechniek B.V.",
          phones=["+31302415560", "+31612345678"], emails=["p.vanderberg@vandijk-installatie.nl"], websites=[])),
("US", """Grupo Alimentario del Norte, S.A. de C.V.
Lic. Alejandra Treviño Garza
Directora de Ventas
Av. Constitución 2050 Pte.
Col. Centro, 64000 Monterrey, N.L.
Tel. (81) 8342 1100
Cel. 81 1234 5678
atrevino@gannorte.com.mx
""", dict(name="Alejandra Treviño Garza", title="Directora de Ventas", company="Grupo Alimentario del Norte, S.A. de C.V.",
          phones=["+528183421100", "+528112345678"], emails=["atrevino@gannorte.com.mx"], websites=[])),
("US", """HANBIT ELECTRONICS CO., LTD.
Park Ji-hoon
Senior Researcher
R&D Center
16, Pangyo-ro 255beon-gil, Bundang-gu
Seongnam-si, Gyeonggi-do 13486, Korea
T. +82 31 8017 2345
M. +82 10 4567 8912
jihoon.park@hanbit-elec.co.kr
""", dict(name="Park Ji-hoon", title="Senior Researcher", company="HANBIT ELECTRONICS CO., LTD.",
          phones=["+823180172345", "+821045678912"], emails=["jihoon.park@hanbit-elec.co.kr"], websites=[])),
("US", """Chuyên nghiệp - Tận tâm - Uy tín
NGUYỄN THỊ LAN ANH
Trưởng phòng Kinh doanh
CÔNG TY TNHH THƯƠNG MẠI AN PHÁT
Số 12 Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh
ĐT: (028) 3822 4567
DĐ: 0903 456 789
lananh@anphat.vn
""", dict(name="NGUYỄN THỊ LAN ANH", title="Trưởng phòng Kinh doanh", company="CÔNG TY TNHH THƯƠNG MẠI AN PHÁT",
          phones=["+842838224567", "+84903456789"], emails=["lananh@anphat.vn"], websites=[])),
("US", """Chinedu Okafor
Head, Corporate Banking
Lagos Meridian Bank Plc
Plot 1261, Adeola Hakeem Street
Victoria Island, Lagos, Nigeria
Tel: +234 1 271 4400
Mobile: +234 803 555 0192
chinedu.okafor@lagosmeridian.com
""", dict(name="Chinedu Okafor", title="Head, Corporate Banking", company="Lagos Meridian Bank Plc",
          phones=["+23412714400", "+2348035550192"], emails=["chinedu.okafor@lagosmeridian.com"], websites=[])),
("US", """Thandiwe Nkosi
Regional Sales Manager
Cape Vineyards (Pty) Ltd
14 Dorp Street, Stellenbosch, 7600
South Africa
Tel: 021 887 4410
Cell: 082 555 1934
thandiwe@capevineyards.co.za
www.capevineyards.co.za
""", dict(name="Thandiwe Nkosi", title="Regional Sales Manager", company="Cape Vineyards (Pty) Ltd",
          phones=["+27218874410", "+27825551934"], emails=["thandiwe@capevineyards.co.za"], websites=["www.capevineyards.co.za"])),
("US", """Mehmet Yılmaz
Satış Müdürü
Anadolu Makina San. ve Tic. A.Ş.
İkitelli OSB Mah. Atatürk Bulvarı No: 45
34490 Başakşehir / İstanbul
Tel: +90 212 549 33 10
Gsm: +90 532 611 47 28
mehmet.yilmaz@anadolumakina.com.tr
""", dict(name="Mehmet Yılmaz", title="Satış Müdürü", company="Anadolu Makina San. ve Tic. A.Ş.",
          phones=["+902125493310", "+905326114728"], emails=["mehmet.yilmaz@anadolumakina.com.tr"], websites=[])),
("US", """Siobhán O'Sullivan
Practice Manager
O'Sullivan & Walsh Solicitors
22 Patrick Street, Cork T12 X8PD
Ireland
T: +353 21 427 8890
siobhan@osullivanwalsh.ie
""", dict(name="Siobhán O'Sullivan", title="Practice Manager", company="O'Sullivan & Walsh Solicitors",
          phones=["+353214278890"], emails=["siobhan@osullivanwalsh.ie"], websites=[])),
("US", """Isabelle Tremblay, CPA
Associée
Tremblay Gagnon S.E.N.C.R.L.
1250, boul. René-Lévesque Ouest, bureau 2200
Montréal (Québec) H3B 4W8
Tél. : 514 555-0142
itremblay@tremblaygagnon.ca
""", dict(name="Isabelle Tremblay", title="Associée", company="Tremblay Gagnon S.E.N.C.R.L.",
          phones=["+15145550142"], emails=["itremblay@tremblaygagnon.ca"], websites=[])),
("US", """Kowhai Landscapes Ltd
Creating gardens you'll love
Aroha Ngata
Director
PO Box 4521, Hamilton 3247
Ph 07 855 1200  |  Mob 021 456 789
aroha@kowhailandscapes.co.nz
www.kowhailandscapes.co.nz
""", dict(name="Aroha Ngata", title="Director", company="Kowhai Landscapes Ltd",
          phones=["+6478551200", "+6421456789"], emails=["aroha@kowhailandscapes.co.nz"], websites=["www.kowhailandscapes.co.nz"])),
("US", """Andrés Felipe Gómez Restrepo
Ingeniero de Proyectos
Constructora Andina S.A.S.
Carrera 43A # 1-50, Oficina 801
Medellín, Colombia
PBX: (604) 444 2310
Cel: 310 555 7788
agomez@constructoraandina.com.co
""", dict(name="Andrés Felipe Gómez Restrepo", title="Ingeniero de Proyectos", company="Constructora Andina S.A.S.",
          phones=["+576044442310", "+573105557788"], emails=["agomez@constructoraandina.com.co"], websites=[])),
("US", """Somchai Chaiyaporn
Sales Director
Siam Packaging Co., Ltd.
99/12 Moo 4, Bangna-Trad Rd., Bang Phli, Samut Prakan 10540, Thailand
Tel. +66 2 316 8800 ext. 215
Mobile +66 81 555 0147
somchai@siampackaging.co.th
""", dict(name="Somchai Chaiyaporn", title="Sales Director", company="Siam Packaging Co., Ltd.",
          phones=["+6623168800", "+66815550147"], emails=["somchai@siampackaging.co.th"], websites=[])),
("US", """Eleni Papadopoulou
Export Manager
Olympia Olive Oil S.A.
25is Martiou 14, 17778 Athens, Greece
T +30 210 345 6789
M +30 694 123 4567
e.papadopoulou@olympia-oil.gr
www.olympia-oil.gr
""", dict(name="Eleni Papadopoulou", title="Export Manager", company="Olympia Olive Oil S.A.",
          phones=["+302103456789", "+306941234567"], emails=["e.papadopoulou@olympia-oil.gr"], websites=["www.olympia-oil.gr"])),
("US", """We fix it right the first time!
Mike's Auto Repair
Mike Donnelly
Owner
4410 W Colfax Ave, Denver, CO 80204
(303) 555-0187
mikesautorepair@yahoo.com
""", dict(name="Mike Donnelly", title="Owner", company="Mike's Auto Repair",
          phones=["+13035550187"], emails=["mikesautorepair@yahoo.com"], websites=[])),
("US", """Gal Ben-David
VP Business Development
Negev Water Technologies Ltd.
8 Hamenofim St., Herzliya Pituach 4672559, Israel
Tel: +972-9-955-1200
Mobile: +972-54-555-0912
gal@negevwater.co.il
""", dict(name="Gal Ben-David", title="VP Business Development", company="Negev Water Technologies Ltd.",
          phones=["+97299551200", "+972545550912"], emails=["gal@negevwater.co.il"], websites=[])),
("US", """Sari Virtanen
Myyntipäällikkö
Nordic Timber Oy
Teollisuuskatu 21
00510 Helsinki
puh. 09 4542 1100
gsm 040 555 2211
sari.virtanen@nordictimber.fi
""", dict(name="Sari Virtanen", title="Myyntipäällikkö", company="Nordic Timber Oy",
          phones=["+358945421100", "+358405552211"], emails=["sari.virtanen@nordictimber.fi"], websites=[])),
]


CARDS12H = [
("US", """Katharina Huber
Leiterin Einkauf
Alpenmilch Molkerei GmbH
Salzburger Straße 14
5020 Salzburg, Österreich
Tel.: +43 662 87 45 10-22
Mobil: +43 664 123 45 67
k.huber@alpenmilch.at
www.alpenmilch.at
""", dict(name="Katharina Huber", title="Leiterin Einkauf", company="Alpenmilch Molkerei GmbH",
          phones=["+4366287451022", "+436641234567"], emails=["k.huber@alpenmilch.at"], websites=["www.alpenmilch.at"])),
("US", """Javier Morales Ruiz
Jefe de Proyectos
Ingeniería Levante S.L.
C/ Colón, 48, 3ª planta
46004 Valencia
Tel. 963 52 18 40
Móvil 654 32 19 87
jmorales@ingenierialevante.es
""", dict(name="Javier Morales Ruiz", title="Jefe de Proyectos", company="Ingeniería Levante S.L.",
          phones=["+34963521840", "+34654321987"], emails=["jmorales@ingenierialevante.es"], websites=[])),
("US", """Tomasz Kowalczyk
Kierownik Działu Sprzedaży
Polmet Sp. z o.o.
ul. Przemysłowa 7
61-579 Poznań
tel. +48 61 855 42 10
kom. +48 601 234 567
t.kowalczyk@polmet.pl
""", dict(name="Tomasz Kowalczyk", title="Kierownik Działu Sprzedaży", company="Polmet Sp. z o.o.",
          phones=["+48618554210", "+48601234567"], emails=["t.kowalczyk@polmet.pl"], websites=[])),
("US", """Wang Jianguo
General Manager
Shenzhen Huaxin Electronics Co., Ltd.
Room 1805, Tower B, Futian Times Square
Shenzhen 518048, China
Tel: +86 755 8345 6789
Mob: +86 138 2345 6789
wangjg@huaxin-elec.com
""", dict(name="Wang Jianguo", title="General Manager", company="Shenzhen Huaxin Electronics Co., Ltd.",
          phones=["+8675583456789", "+8613823456789"], emails=["wangjg@huaxin-elec.com"], websites=[])),
("US", """Maria Cristina Reyes
Marketing Head
Pacific Bay Foods Corporation
12/F Ayala Tower One, Ayala Avenue
Makati City 1226, Philippines
T: +63 2 8845 6600
M: +63 917 555 1234
mcreyes@pacificbayfoods.com.ph
""", dict(name="Maria Cristina Reyes", title="Marketing Head", company="Pacific Bay Foods Corporation",
          phones=["+63288456600", "+639175551234"], emails=["mcreyes@pacificbayfoods.com.ph"], websites=[])),
("US", """Ahmad Faizal bin Ismail
Business Development Manager
Tropika Logistik Sdn. Bhd.
Lot 23, Jalan Perusahaan 2
47100 Puchong, Selangor, Malaysia
Tel: +603 8061 2200
H/P: +6012 345 6789
faizal@tropikalogistik.com.my
""", dict(name="Ahmad Faizal bin Ismail", title="Business Development Manager", company="Tropika Logistik Sdn. Bhd.",
          phones=["+60380612200", "+60123456789"], emails=["faizal@tropikalogistik.com.my"], websites=[])),
("US", """Ahmed Hassan
Sales Engineer
Nile Power Systems S.A.E.
15 El Tahrir St., Dokki, Giza, Egypt
Tel: +20 2 3761 4400
Mobile: +20 100 555 2233
ahmed.hassan@nilepower.com.eg
""", dict(name="Ahmed Hassan", title="Sales Engineer", company="Nile Power Systems S.A.E.",
          phones=["+20237614400", "+201005552233"], emails=["ahmed.hassan@nilepower.com.eg"], websites=[])),
("US", """Grace Wanjiru
Finance Manager
Savannah Agro Exports Ltd
Mombasa Road, P.O. Box 45210-00100
Nairobi, Kenya
Tel: +254 20 271 3300
Cell: +254 722 555 019
gwanjiru@savannahagro.co.ke
""", dict(name="Grace Wanjiru", title="Finance Manager", company="Savannah Agro Exports Ltd",
          phones=["+254202713300", "+254722555019"], emails=["gwanjiru@savannahagro.co.ke"], websites=[])),
("US", """Lucía Fernández
Gerente de Operaciones
Vinos del Sur S.A.
Av. Corrientes 1234, Piso 8
C1043AAZ Buenos Aires
Tel: +54 11 4321 5678
Cel: +54 9 11 5555 1234
lfernandez@vinosdelsur.com.ar
""", dict(name="Lucía Fernández", title="Gerente de Operaciones", company="Vinos del Sur S.A.",
          phones=["+541143215678", "+5491155551234"], emails=["lfernandez@vinosdelsur.com.ar"], websites=[])),
("US", """Brightline Dental Studio
Gentle care for the whole family
Dr. Samantha Reed, DMD
1450 Peachtree St NE, Suite 210
Atlanta, GA 30309
(404) 555-0176
info@brightlinedental.com
www.brightlinedental.com
""", dict(name="Samantha Reed", title="", company="Brightline Dental Studio",
          phones=["+14045550176"], emails=["info@brightlinedental.com"], websites=["www.brightlinedental.com"])),
("US", """JAMES O'CONNOR
Senior Account Executive
Harbor Point Insurance Group
One Financial Center, 21st Floor
Boston, MA 02111
Direct 617.555.0142 | Cell 857.555.0199
joconnor@harborpointins.com
""", dict(name="JAMES O'CONNOR", title="Senior Account Executive", company="Harbor Point Insurance Group",
          phones=["+16175550142", "+18575550199"], emails=["joconnor@harborpointins.com"], websites=[])),
("US", """Rebecca Clarke
Head of Partnerships
Thistle & Rose Publishing Ltd
7 Queen Street, Edinburgh EH2 1JE
T: 0131 555 0192
M: 07700 900 123
rebecca@thistleandrose.co.uk
""", dict(name="Rebecca Clarke", title="Head of Partnerships", company="Thistle & Rose Publishing Ltd",
          phones=["+441315550192", "+447700900123"], emails=["rebecca@thistleandrose.co.uk"], websites=[])),
("US", """Liam Nguyen
Project Coordinator
Southern Cross Builders Pty Ltd
Level 4, 120 Collins Street
Melbourne VIC 3000
P 03 9654 2100  M 0412 345 678
liam.nguyen@scbuilders.com.au
""", dict(name="Liam Nguyen", title="Project Coordinator", company="Southern Cross Builders Pty Ltd",
          phones=["+61396542100", "+61412345678"], emails=["liam.nguyen@scbuilders.com.au"], websites=[])),
("US", """Harpreet Singh Gill
Director - Operations
Punjab Agri Machinery Pvt. Ltd.
Plot 45, Phase VIII, Industrial Area
Mohali, Punjab 160071
Ph: 0172 555 1234
Mob: +91 98140 12345
harpreet@punjabagri.in
""", dict(name="Harpreet Singh Gill", title="Director", company="Punjab Agri Machinery Pvt. Ltd.",
          phones=["+911725551234", "+919814012345"], emails=["harpreet@punjabagri.in"], websites=[])),
("BR", """Ricardo Almeida Santos
Diretor Comercial
Metalúrgica Vale do Aço Ltda.
Av. Brasil, 3500 - Distrito Industrial
Ipatinga - MG - CEP 35160-000
Tel.: (31) 3822-4500
Cel.: (31) 98877-1234
ricardo.santos@valedoaco.ind.br
www.valedoaco.ind.br
""", dict(name="Ricardo Almeida Santos", title="Diretor Comercial", company="Metalúrgica Vale do Aço Ltda.",
          phones=["+553138224500", "+5531988771234"], emails=["ricardo.santos@valedoaco.ind.br"], websites=["www.valedoaco.ind.br"])),
("BR", """PADARIA E CONFEITARIA BOM GOSTO
Pães, bolos e salgados - Encomendas
Seg. a Sáb. das 6h às 21h
Rua das Flores, 210 - Centro - Campinas/SP
(19) 3232-1010
(19) 99123-4567
padariabomgosto@hotmail.com
""", dict(name="", title="", company="PADARIA E CONFEITARIA BOM GOSTO",
          phones=["+551932321010", "+5519991234567"], emails=["padariabomgosto@hotmail.com"], websites=[])),
("US", """Kenji Watanabe
Deputy General Manager
Overseas Sales Department
Kobe Precision Industries, Ltd.
3-1-5 Minatojima, Chuo-ku, Kobe 650-0047, Japan
Phone: +81-78-302-1234
Fax: +81-78-302-1235
k-watanabe@kobe-precision.co.jp
""", dict(name="Kenji Watanabe", title="Deputy General Manager", company="Kobe Precision Industries, Ltd.",
          phones=["+81783021234", "+81783021235"], emails=["k-watanabe@kobe-precision.co.jp"], websites=[])),
("US", """Chen Mei-Ling
Senior Project Manager
Formosa Smart Tech Inc.
8F, No. 100, Sec. 1, Xinyi Rd., Da'an Dist.
Taipei City 106, Taiwan
T: +886-2-2345-6789 ext. 512
M: +886-912-345-678
meiling.chen@formosasmart.com.tw
""", dict(name="Chen Mei-Ling", title="Senior Project Manager", company="Formosa Smart Tech Inc.",
          phones=["+886223456789", "+886912345678"], emails=["meiling.chen@formosasmart.com.tw"], websites=[])),
]


def punct(s):
    return re.sub(r"[\W_]+", "", norm(s))


def score(greeter, name, cards):
    tot, cnt = {}, {}
    for i, (region, text, t) in enumerate(cards):
        out = subprocess.run([greeter, "cards", "parse", "--region", region], input=text.encode(),
                             capture_output=True, check=True).stdout.decode().strip().splitlines()
        p = json.loads(out[-1])
        r = {"name": norm(p.get("name")) == norm(t["name"]),
             "company": punct(p.get("company")) == punct(t["company"]),
             "title": norm(t["title"]) in norm(p.get("title")),
             "emails": set_eq([norm(x) for x in t["emails"]], [norm(x) for x in p.get("emails") or []],
                              lambda a, b: a == b),
             "websites": set_eq([site(x) for x in t["websites"]], [site(x) for x in p.get("websites") or []],
                                lambda a, b: a == b),
             "phones": set_eq(t["phones"], [x["number"] for x in p.get("phones") or []], phone_eq)}
        for a, v in r.items():
            tot[a] = tot.get(a, 0) + v
            cnt[a] = cnt.get(a, 0) + 1
            if not v and "-v" in sys.argv:
                print(name, i, a, repr(t.get(a)), "got", repr(p.get(a)))
    print(name, " ".join(f"{a} {tot[a]}/{cnt[a]}" for a in tot), f"score={sum(tot.values()) / sum(cnt.values()):.4f}")


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    greeter = os.path.join(args[0] if args else os.path.join(here, "..", "..", "build", "dev"), "greeter")
    score(greeter, "round10", CARDS)
    score(greeter, "round11", CARDS11)
    score(greeter, "round12", CARDS12)
    score(greeter, "round12-held-out", CARDS12H)


if __name__ == "__main__":
    main()
