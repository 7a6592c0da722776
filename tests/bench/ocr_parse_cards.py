#!/usr/bin/python3
"""Field parser check on card texts from many countries, written line by line as the cards print
them and labelled by hand (issue 13, round 10's held-out parse set: written before any run of the
reader on them). Each text goes through `greeter cards parse --region US` (no OCR) and is scored
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


def punct(s):
    return re.sub(r"[\W_]+", "", norm(s))


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    greeter = os.path.join(args[0] if args else os.path.join(here, "..", "..", "build", "dev"), "greeter")
    tot, cnt = {}, {}
    for i, (region, text, t) in enumerate(CARDS):
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
                print(i, a, repr(t.get(a)), "got", repr(p.get(a)))
    print(" ".join(f"{a} {tot[a]}/{cnt[a]}" for a in tot), f"score={sum(tot.values()) / sum(cnt.values()):.4f}")


if __name__ == "__main__":
    main()
