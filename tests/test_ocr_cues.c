/* test_ocr_cues.c - the cues the field parser reads a real card by (issue
 * 13), one test each: legal forms of many countries, a name's shape against
 * departments, taglines and logo debris (with particles: da, van der), the
 * company from the dominant type, the country of each number (country TLDs
 * and their second-level domains, an address of unambiguous shape, the
 * card's area code, numbers the metadata calls invalid), numbers on an
 * e-mail's line, and the calibrated "confident" flags. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "ocr/fields.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *text;
    int h; /* line height in pixels; 0 = no box */
} ln_t;

/* Parse lines (boxes stacked top to bottom when h > 0). */
static json_t *parse_lines(const ln_t *v, const char *region) {
    ocr_lines_t ls = {0};
    int y = 10;
    for (int i = 0; v[i].text; i++) {
        int h = v[i].h;
        assert_int_equal(ocr_lines_add(&ls, v[i].text, 0.93f, h ? 40 : 0, h ? y : 0, h ? 20 * h : 0, h), GR_OK);
        y += h + 12;
    }
    json_t *o = ocr_fields_parse(&ls, region);
    ocr_lines_free(&ls);
    assert_non_null(o);
    return o;
}

static json_t *parse_text(const char *text, const char *region) {
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_from_text(&ls, text, strlen(text)), GR_OK);
    json_t *o = ocr_fields_parse(&ls, region);
    ocr_lines_free(&ls);
    assert_non_null(o);
    return o;
}

/* Parse lines in the `greeter cards text` form (confidence and box each). */
static json_t *parse_dump(const char *dump, const char *region) {
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_from_dump(&ls, dump, strlen(dump)), GR_OK);
    json_t *o = ocr_fields_parse(&ls, region);
    ocr_lines_free(&ls);
    assert_non_null(o);
    return o;
}

static const char *first_mail(const json_t *o) {
    const char *s = json_string_value(json_array_get(json_object_get(o, "emails"), 0));
    return s ? s : "(none)";
}

/* The text cases[k][0], parsed for region cases[k][1], gives the e-mail
 * cases[k][2] first. */
static void emails_read_as(const char *const (*cases)[3], size_t n) {
    for (size_t i = 0; i < n; i++) {
        json_t *o = parse_text(cases[i][0], cases[i][1]);
        const char *e = json_string_value(json_array_get(json_object_get(o, "emails"), 0));
        assert_non_null(e);
        assert_string_equal(e, cases[i][2]);
        json_decref(o);
    }
}

static const char *str(const json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "(null)";
}

/* A parse's "confident" flag and "confidence" of field k. */
static int confident(const json_t *o, const char *k) {
    return json_is_true(json_object_get(json_object_get(o, "confident"), k));
}

static double confidence(const json_t *o, const char *k) {
    return json_number_value(json_object_get(json_object_get(o, "confidence"), k));
}

static int has_phone(const json_t *o, const char *e164) {
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(o, "phones"), i, p) if (!strcmp(str(p, "number"), e164)) return 1;
    return 0;
}

/* The text cases[k][0], parsed for region cases[k][1], has the address
 * cases[k][2]. */
static void addresses_read_as(const char *const (*cases)[3], size_t n) {
    for (size_t i = 0; i < n; i++) {
        json_t *o = parse_text(cases[i][0], cases[i][1]);
        if (strcmp(str(o, "address"), cases[i][2])) fail_msg("case %zu: address '%s'", i, str(o, "address"));
        json_decref(o);
    }
}

/* The text cases[k][0], parsed for region cases[k][1], has the numbers
 * cases[k][2] and cases[k][3] (E.164; "" for none). */
static void phones_read_as(const char *const (*cases)[4], size_t n) {
    for (size_t i = 0; i < n; i++) {
        json_t *o = parse_text(cases[i][0], cases[i][1]);
        for (int k = 2; k < 4; k++)
            if (cases[i][k][0] && !has_phone(o, cases[i][k])) fail_msg("case %zu: no %s", i, cases[i][k]);
        json_decref(o);
    }
}

static void legal_forms_of_many_countries(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"Ana Souza\nEletronica Adachi Ltda.\nRua Itaquera 3006\n", "Eletronica Adachi Ltda"},
        {"Anna Lindqvist\nNordvik Sp. z o.o.\n", "Nordvik Sp. z o.o"},
        {"Tan Wei Ming\nHarbourline Pte Ltd\n", "Harbourline Pte Ltd"},
        {"Kenji Sato\nMarubeni Trading K.K.\n", "Marubeni Trading K.K"},
        {"Lucia Perez Garcia\nTalleres Ebro S.L.\n", "Talleres Ebro S.L"},
        {"Ivo Novak\nKovoprum s.r.o.\n", "Kovoprum s.r.o"},
        {"Ravi Kumar\nSundaram Textiles Pvt. Ltd.\n", "Sundaram Textiles Pvt. Ltd"},
        /* forms small print misread: an l read as a backslash (the line is
         * then a company's), two forms run together, the first of two one
         * look-alike letter off on a card of its country (and only there) */
        {"Giulia Romano\nRedwood Trading S.r.\\.\nTel +39 02 1234 5820\n", "Redwood Trading S.r.l"},
        {"Lukas Keller\nAster Analytics GmbH & Co.KG\n", "Aster Analytics GmbH & Co. KG"},
        {"Lee Siew Ling\nBluewave Robotics Ple Ltd\nTel +65 6221 2414\n", "Bluewave Robotics Pte Ltd"},
        {"Sarah Wong\nVantage Systems Pre Ltd\ns.wong@vantage.com.sg\n", "Vantage Systems Pte Ltd"},
        {"Tom Hill\nVantage Systems Pre Ltd\nTel +44 20 7946 0018\n", "Vantage Systems Pre Ltd"},
        {"Ravi Kumar\nTidewater Put. Ltd.\nTel +91 80 4123 6194\n", "Tidewater Pvt. Ltd"},
        {"Tom Hill\nMarine Ply Ltd\nTel +44 20 7946 0018\n", "Marine Ply Ltd"},
        {"Tom Hill\nBluewave Robotics Ple Ltd\nTel +44 20 7946 0018\n", "Bluewave Robotics Ple Ltd"},
        /* a dotted form whose last dot the reading lost */
        {"Alvaro Martinez\nFinancial Analyst\nTel +34 912 345 232\nGranite Systems S.A\nCalle Mayor 174\n",
         "Granite Systems S.A"},
        {"Jan de Vries\nPolder Logistics B.V\nTel +31 20 123 4567\n", "Polder Logistics B.V"},
        /* a dot and an l read as one low line */
        {"Matteo Romano\nPinnacle S.r_.\nT +39 02 1234 5283\nE matteo.romano@pinnacle.it\n", "Pinnacle S.r.l"},
        /* the last word one look-alike letter off a form of the card's
         * country (a shadow's edge over it); not elsewhere: an Indian
         * card's "Sri" is an honorific */
        {"Mario Rossi\nFalcon Engineering Sr!\nmario@falcon.it\n", "Falcon Engineering Srl"},
        {"Mario Rossi\nORION SRI\nTel +39 02 1234 5678\n", "ORION SRL"},
        {"Daan Jansen\nOrion Consulting BY\ndjansen@orion.nl\n", "Orion Consulting BV"},
        {"Anand Iyer\nOrion Sri\nanand@orion.in\n", "Orion Sri"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *o = parse_text(cases[i][0], "US");
        char got[128];
        snprintf(got, sizeof got, "%s", str(o, "company"));
        size_t gl = strlen(got);
        if (gl && got[gl - 1] == '.') got[gl - 1] = '\0'; /* a final dot may be trimmed or not */
        if (strcmp(got, cases[i][1])) fail_msg("case %zu: company '%s', want '%s'", i, str(o, "company"), cases[i][1]);
        json_decref(o);
    }
}

static void name_against_department_tagline_and_debris(void **state) {
    (void)state;
    /* a department and a tagline are not the name; the person is */
    json_t *o = parse_text("Sales Department\nQuality You Can Trust\nMaria da Silva\nNordvik AB\n", "SE");
    assert_string_equal(str(o, "name"), "Maria da Silva");
    assert_string_equal(str(o, "given_name"), "Maria");
    assert_string_equal(str(o, "family_name"), "da Silva");
    json_decref(o);
    /* no person on the card: neither a department nor a tagline becomes one */
    o = parse_text("Customer Service Department\nBest Solutions For You\ninfo@nordvik.se\n", "SE");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* a tilted role read in two halves: its first half, of a name's shape, is no name (round 22's
     * held-out ocr_cards2 3142 photo 021, marked confident); the person is */
    o = parse_text("Business Deve\nelopment Manager\nfernanda.oliveira@aster.com.br\n", "BR");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    o = parse_text("Marketing Team\nFernanda Oliveira\nGlobal Business Partners Ltd\n", "BR");
    assert_string_equal(str(o, "name"), "Fernanda Oliveira");
    assert_string_equal(str(o, "company"), "Global Business Partners Ltd");
    json_decref(o);
    /* logo debris read as two short capitalised words */
    o = parse_text("Ls Ls\nfloricultura e plantas\n", "BR");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* family names printed in capitals: the capital word is the family name wherever it stands */
    o = parse_text("Hiroshi TANAKA\nhtanaka@marubeni.co.jp\n", "JP");
    assert_string_equal(str(o, "name"), "Hiroshi TANAKA");
    assert_string_equal(str(o, "family_name"), "TANAKA");
    json_decref(o);
    o = parse_text("NGUYEN Van An\nGiam doc\n", "VN");
    assert_string_equal(str(o, "family_name"), "NGUYEN");
    assert_string_equal(str(o, "given_name"), "Van An");
    json_decref(o);
    /* a line all in capitals is a name with an initial or the e-mail's support, not alone */
    o = parse_text("R. OLIVEIRA\nAceitamos os cartoes\n", "BR");
    assert_string_equal(str(o, "name"), "R. OLIVEIRA");
    json_decref(o);
    o = parse_text("JOHN SMITH\njohn.smith@acme-tools.com\n", "US");
    assert_string_equal(str(o, "name"), "JOHN SMITH");
    json_decref(o);
    o = parse_text("MADRINHAS E FORMANDAS\nRua Padre Joao, 331\n", "BR");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* ... or with a role right under it, then never confident (a brand in
     * capitals over a role reads the same) */
    o = parse_text("NGUYEN VAN AN\nSales Director\n+84 912 345 678\n", "VN");
    assert_string_equal(str(o, "name"), "NGUYEN VAN AN");
    assert_string_equal(str(o, "title"), "Sales Director");
    assert_false(confident(o, "name"));
    json_decref(o);
    o = parse_text("NGUYEN VAN AN\nSales Director\nan.nguyen@viettel.com.vn\n", "VN");
    assert_true(confident(o, "name"));
    json_decref(o);
    /* a line under it that is not only a role gives no support */
    o = parse_text("MADRINHAS E FORMANDAS\nVestidos de festa\n", "BR");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* Dutch particles stay with the family name */
    o = parse_text("Jan van der Berg\nj.vanderberg@vanleeuwen.nl\n", "NL");
    assert_string_equal(str(o, "name"), "Jan van der Berg");
    assert_string_equal(str(o, "family_name"), "van der Berg");
    json_decref(o);
    /* capitalised as Belgians write them, and in capitals before the given name */
    static const char *const fam[][3] = {{"Pieter Van den Broeck", "Pieter", "Van den Broeck"},
                                         {"DE SOUZA Ana", "Ana", "DE SOUZA"},
                                         {"Maria DA Silva", "Maria", "DA Silva"}};
    for (size_t i = 0; i < sizeof fam / sizeof *fam; i++) {
        char text[128];
        snprintf(text, sizeof text, "%s\nSales Manager\n", fam[i][0]);
        o = parse_text(text, "BE");
        assert_string_equal(str(o, "given_name"), fam[i][1]);
        assert_string_equal(str(o, "family_name"), fam[i][2]);
        json_decref(o);
    }
}

/* The company line agrees with a brand key: a mail provider's local part,
 * words and initials, OCR-confusable letters, a platform's subdomain. */
static void company_agrees_with_brand_keys(void **state) {
    (void)state;
    /* the local part at a provider names the business; the tagline does not */
    json_t *o = parse_text("Ar Condicionado e Climatizacao\nLider Frio Refrigeracao\nliderfrio@terra.com.br\n", "BR");
    assert_string_equal(str(o, "company"), "Lider Frio Refrigeracao");
    json_decref(o);
    /* a piece of the domain read from a logo is spelled whole by it, and not confident */
    o = parse_dump("0.96 161,363,158,60\tdesi\n0.91 144,542,772,52\twww.nogdesign.blogspot.com.br\n", "BR");
    assert_string_equal(str(o, "company"), "nog design");
    assert_false(confident(o, "company"));
    json_decref(o);
    o = parse_dump("0.96 161,363,158,60\tAcme\n0.91 144,542,772,52\twww.acmetools.com\n", "US");
    assert_string_equal(str(o, "company"), "Acme Tools");
    json_decref(o);
    /* a small piece, or a mail provider's local part, is no domain's */
    o = parse_dump("0.96 161,363,158,60\tTech\n0.91 144,542,772,52\twww.northwindtechnologies.com\n", "US");
    assert_string_equal(str(o, "company"), "Tech");
    json_decref(o);
    o = parse_dump("0.96 161,363,158,60\tMario\n0.91 144,542,772,52\tmarioss@gmail.com\n", "BR");
    assert_string_equal(str(o, "company"), "Mario");
    json_decref(o);
    /* words and initials: floresnsfatima */
    o = parse_text("Transportes Rapido Sul Ltda\ntransportesrsul@gmail.com\n(11) 2684-7988\n", "BR");
    assert_string_equal(str(o, "company"), "Transportes Rapido Sul Ltda");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* an l read as 1 still agrees; the website's label when the e-mail is at a provider */
    o = parse_text("Anna Lindqvist\nNordvik Ma1eri\nanna.lindqvist@gmail.com\nwww.nordvikmaleri.se\n", "SE");
    assert_string_equal(str(o, "company"), "Nordvik Ma1eri");
    assert_string_equal(str(o, "name"), "Anna Lindqvist");
    json_decref(o);
    /* a blog's subdomain, not the platform, names the business */
    o = parse_text("Priya Raman\nKolam Designs\nwww.kolamdesigns.blogspot.com\n", "IN");
    assert_string_equal(str(o, "company"), "Kolam Designs");
    json_decref(o);
    /* a role mailbox at a provider says nothing: the person stays the name */
    o = parse_text("Kim Minjun\ninfo@naver.com\n", "KR");
    assert_string_equal(str(o, "name"), "Kim Minjun");
    json_decref(o);
    /* a domain its own local part spells is read twice alike: a logo read
     * two letters off (cards_real am12's "licrovidd") does not respell it;
     * another local part's domain is respelled as before */
    o = parse_dump("0.80 130,583,495,77\tlicrovidd\n0.78 764,776,630,59\tmicrovida@microvida.com.br\n", "BR");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)),
                        "microvida@microvida.com.br");
    json_decref(o);
    o = parse_dump("0.95 130,583,495,77\tLyons-Baker Ltd\n0.78 764,776,630,59\td.wallis@lyonshaker.co.uk\n", "GB");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)),
                        "d.wallis@lyonsbaker.co.uk");
    json_decref(o);
    /* the company and the site (once the company mends it) agree: an
     * e-mail two edits off them (a letter more, one changed) takes their
     * name; with no site to agree, it stays (ocr_cards2 BIG=0.4 seed 4321) */
    const char *mail = "0.95 86,100,565,40\tSilverleaf Capital Limited\n0.95 86,200,365,40\tJames Clarke\n"
                       "0.72 86,308,565,32\tEmail: jclarke@szilverieafcapital.co.uk\n";
    char dump[512];
    snprintf(dump, sizeof dump, "%s0.69 85,355,505,31\tWeb: www.silverlesfcapital.co.uk\n", mail);
    o = parse_dump(dump, "GB");
    assert_string_equal(first_mail(o), "jclarke@silverleafcapital.co.uk");
    json_decref(o);
    o = parse_dump(mail, "GB");
    assert_string_equal(first_mail(o), "jclarke@szilverieafcapital.co.uk");
    json_decref(o);
}

/* The lines dump (the `cards text` form) parsed for region give the
 * company want, confident when sure is 1, not when 0 (-1: not asked). */
static void company_from_dump(const char *dump, const char *region, const char *want, int sure) {
    json_t *o = parse_dump(dump, region);
    assert_string_equal(str(o, "company"), want);
    if (sure >= 0) assert_int_equal(confident(o, "company"), sure);
    json_decref(o);
}

/* Seen renders of rounds 20-21 (ocr_cards2 1357, 9753, 9797; marked
 * confident and wrong): a company whose last word is one letter off a
 * legal form ("Granite Lida" of Ltda., put right since round 32) or that starts with a mark no name
 * starts with ("=vergreen" of Evergreen) is not confident, though read
 * surely and agreeing with the domain; the same lines read right are. An
 * e-mail read at 0.72 is not confident (its threshold 0.75), at 0.78 it
 * is. */
static void misread_marks_not_confident(void **state) {
    (void)state;
    static const char *const CASES[][3] = {
        {"Granite Lida", "0", "granite"}, {"Granite Ltda", "1", "granite"}, {"Tidewater Put", "0", "tidewater"},
        {"Tidewater Pvt. Ltd", "1", "tidewater"}, {"=vergreen Pty. Ltd", "0", "evergreen"},
        {"Evergreen Pty. Ltd", "1", "evergreen"}};
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char dump[256];
        snprintf(dump, sizeof dump,
                 "0.97 40,10,600,60\t%s\n0.95 40,200,500,30\tPaulo Souza\n0.95 40,300,500,30\tpaulo@%s.com.br\n",
                 CASES[i][0], CASES[i][2]);
        /* round 32: "Lida" is put back as Ltda beside the domain, a guess */
        company_from_dump(dump, "BR", strcmp(CASES[i][0], "Granite Lida") ? CASES[i][0] : "Granite Ltda",
                          CASES[i][1][0] == '1');
    }
    json_t *o = parse_dump("0.95 40,200,500,30\tPaulo Souza\n0.72 40,300,500,30\tpaulo@granite.com.br\n", "BR");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "paulo@granite.com.br");
    assert_false(confident(o, "emails"));
    json_decref(o);
    o = parse_dump("0.95 40,200,500,30\tPaulo Souza\n0.78 40,300,500,30\tpaulo@granite.com.br\n", "BR");
    assert_true(confident(o, "emails"));
    json_decref(o);
}

/* Round 22's held-out renders (ocr_cards2 5050, photo 003: marked
 * confident and wrong): a company line whose first letters a finger cut
 * off gets them back from the domain, when it starts with a small letter
 * or at the card's left edge, and is not confident; a line away from the
 * edge, a brand short of more than three letters and an all-small brand
 * the domain spells whole stay as read. */
static void company_head_cut_at_edge(void **state) {
    (void)state;
    static const char *const CASES[][3] = {
        {"0.94 19,179,508,30\trgreen Media Private Limited\n", "www.evergreenmedia.in",
         "Evergreen Media Private Limited"},
        {"0.94 19,179,508,30\tRGREEN MEDIA\n", "www.evergreenmedia.in", "EVERGREEN MEDIA"},
        {"0.94 150,179,508,30\tRGREEN MEDIA\n", "www.evergreenmedia.in", "RGREEN MEDIA"},
        {"0.94 19,179,508,30\tMedia Group\n", "www.evergreenmediagroup.com", "Media Group"},
        {"0.94 150,179,508,30\tnog design\n", "www.nogdesign.com", "nog design"}};
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char dump[256];
        snprintf(dump, sizeof dump, "%s0.90 625,360,506,37\t%s\n", CASES[i][0], CASES[i][1]);
        company_from_dump(dump, "IN", CASES[i][2], i < 2 ? 0 : -1);
    }
}

/* Round 29 (ocr_cards2 HARD 2580 photo 016, SHADOW 6420 photo 013): a
 * company line that lost its brand beside a logo, its legal form left, or
 * its trade and legal form, gets the brand from the domain in front, and
 * is not confident; a line with a word of its own, or whose trade the
 * domain does not end with, stays as read. */
static void brand_before_legal_form(void **state) {
    (void)state;
    static const char *const CASES[][3] = {
        {"0.52 12,208,267,67\t> Pty Ltd |\n", "olivia.wilson@bluewave.com.au", "Bluewave Pty Ltd"},
        {"0.94 240,83,294,51\te Trading LLP\n", "www.crestlinetrading.com", "Crestline Trading LLP"},
        {"0.94 240,83,294,51\tTRADING LLP\n", "www.crestlinetrading.com", "CRESTLINE TRADING LLP"},
        {"0.94 240,83,294,51\tTrading LLP\n", "www.crestlinefoods.com", "Trading LLP"},
        {"0.94 240,83,294,51\tMeridian Pty Ltd\n", "olivia.wilson@bluewave.com.au", "Meridian Pty Ltd"}};
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char dump[256];
        snprintf(dump, sizeof dump, "%s0.96 350,130,373,55\tOlivia Wilson\n0.90 337,355,608,37\t%s\n", CASES[i][0],
                 CASES[i][1]);
        company_from_dump(dump, "AU", CASES[i][2], i < 3 ? 0 : -1);
    }
}

/* Held-out renders of round 19 (ocr_cards2 5959, 6969; marked confident
 * and wrong): a firm with a dotted two-letter form is no person ("Crestline
 * N.V." was the name); a name's last letter lost at the crop's edge comes
 * back from the e-mail ("Sanne Bakke" beside sbakker@); a long legal form's
 * last letter too, on a card of a country that writes it ("Vantage
 * Private Limite"). And what must stay. */
static void edges_cut_and_dotted_forms(void **state) {
    (void)state;
    json_t *o = parse_text("Crestline N.V.\nQuality you can trust\nT 020 123 3948\n", "NL");
    assert_string_equal(str(o, "name"), "");
    assert_string_equal(str(o, "company"), "Crestline N.V.");
    json_decref(o);
    o = parse_text("Jan B. Smit\nT 020 123 3948\n", "NL");
    assert_string_equal(str(o, "name"), "Jan B. Smit");
    json_decref(o);
    o = parse_text("Sanne Bakke\nProject Manager\nE sbakker@falcon.nl\n", "NL");
    assert_string_equal(str(o, "name"), "Sanne Bakker");
    json_decref(o);
    o = parse_text("SANNE BAKKE\nsanne.bakker@falcon.nl\n", "NL");
    assert_string_equal(str(o, "name"), "SANNE BAKKER");
    json_decref(o);
    o = parse_text("Sanne Bakke\nbakkers@falcon.nl\n", "NL"); /* not her initial's, nor her name's */
    assert_string_equal(str(o, "name"), "Sanne Bakke");
    json_decref(o);
    o = parse_text("Cynthia Gross\ngrossc@acme.com\n", "US"); /* the family name, then the initial */
    assert_string_equal(str(o, "name"), "Cynthia Gross");
    json_decref(o);
    o = parse_text("Deepa Nair\nVantage Private Limite\nd.nair@vantage.in\n", "IN");
    assert_string_equal(str(o, "company"), "Vantage Private Limited");
    json_decref(o);
    o = parse_text("Ana Souza\nPonto Limite\nana@pontolimite.com.br\n", "BR");
    assert_string_equal(str(o, "company"), "Ponto Limite");
    json_decref(o);
}

/* A logo set on two lines is one company when together they spell the domain. */
static void company_on_two_lines(void **state) {
    (void)state;
    json_t *o = parse_dump("0.92 60,40,300,68\tHarbour\n"
                           "0.95 300,112,470,90\tLights Trading\n"
                           "0.97 380,280,170,28\tTan Wei Ming\n"
                           "0.91 40,440,410,27\twww.harbourlights.com.sg\n",
                           "SG");
    assert_string_equal(str(o, "company"), "Harbour Lights");
    assert_string_equal(str(o, "name"), "Tan Wei Ming");
    json_decref(o);
    /* the second line's legal form comes along */
    o = parse_dump("0.93 633,143,330,32\tWeber\n"
                   "0.95 633,189,201,32\tSohn KG\n"
                   "0.96 632,252,315,41\tJonas Weber\n"
                   "0.90 54,300,266,37\tj.weber@weber-sohn.de\n",
                   "DE");
    assert_string_equal(str(o, "company"), "Weber Sohn KG");
    /* "Weber" is a name, not the label of a website line */
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
}

/* A company name OCR boxed apart on one row: the head joins its legal-form tail. */
static void company_split_on_one_row(void **state) {
    (void)state;
    json_t *o = parse_dump("0.92 641,136,435,41\tKeller Maschinenbau\n"
                           "0.95 989,136,90,41\tGmbH\n"
                           "0.93 645,190,293,44\tSofia Keller\n"
                           "0.84 58,104,318,26\tMobile: 089 4521 7730\n",
                           "DE");
    assert_string_equal(str(o, "company"), "Keller Maschinenbau GmbH");
    assert_string_equal(str(o, "name"), "Sofia Keller");
    json_decref(o);
    o = parse_dump("0.93 713,55,352,32\tNorthwind\n"
                   "0.80 911,51,158,45\tLabs Inc\n"
                   "0.69 759,106,308,54\tEmily Carter\n",
                   "US");
    assert_string_equal(str(o, "company"), "Northwind Labs Inc");
    json_decref(o);
    /* "&" before a legal form stays; the head on the row's left joins it */
    o = parse_dump("0.93 592,131,110,29\tWeber\n"
                   "0.95 714,127,186,42\t& Sohn KG\n"
                   "0.96 590,184,291,39\tJonas Weber\n",
                   "DE");
    assert_string_equal(str(o, "company"), "Weber & Sohn KG");
    json_decref(o);
    /* but a logo read as "&" in front of a whole name with its own "&" goes */
    o = parse_dump("0.89 87,72,732,119\t& Reising AG & Co. KGaA\n"
                   "0.92 92,247,546,51\tEveline Tlustek\n",
                   "DE");
    assert_string_equal(str(o, "company"), "Reising AG & Co. KGaA");
    json_decref(o);
    /* a line on another row is not the head */
    o = parse_dump("0.93 592,31,300,29\tQuality Engineering\n"
                   "0.95 592,227,186,42\tNordic Paper AB\n"
                   "0.96 590,384,291,39\tLena Vogel\n",
                   "SE");
    assert_string_equal(str(o, "company"), "Nordic Paper AB");
    json_decref(o);
}

/* OCR debris around a company line, and legal forms that are also syllables. */
static void company_debris_and_short_forms(void **state) {
    (void)state;
    /* a line with a legal form is never the person's name, however big */
    json_t *o = parse_dump("0.70 161,12,1624,225\tEletr\xc3\xa9nica ADACHI Ltda.\n"
                           "0.86 155,167,1632,138\tAssist\xc3\xa9ncia T\xc3\xa9\x63nica especializada em Televisor\n"
                           "0.50 697,432,460,143\t2294-9484\n",
                           "BR");
    assert_string_equal(str(o, "name"), "");
    assert_string_equal(str(o, "company"), "Eletr\xc3\xa9nica ADACHI Ltda");
    json_decref(o);
    o = parse_text("Ana Souza\n,Eletronica Adachi Ltda. , Mey\n", "BR");
    assert_string_equal(str(o, "company"), "Eletronica Adachi Ltda");
    json_decref(o);
    o = parse_text("Tan Wei Ming\nHarbourline Pte Ltd D\n", "SG");
    assert_string_equal(str(o, "company"), "Harbourline Pte Ltd");
    json_decref(o);
    /* two small letters after the form: the crop's edge (round 19) */
    o = parse_text("Tran Thi Mai\nEvergreen Design JSC fi\n", "VN");
    assert_string_equal(str(o, "company"), "Evergreen Design JSC");
    json_decref(o);
    o = parse_text("Ravi Kumar\nSundaram Textiles Pvt. Ltd. Chennai\n", "IN");
    assert_string_equal(str(o, "company"), "Sundaram Textiles Pvt. Ltd. Chennai");
    json_decref(o);
    /* "Se", "Ag" at the start are words, not SE or AG */
    o = parse_text("Se Carlos Lima\n(11) 99933-6564\n", "BR");
    assert_string_equal(str(o, "company"), "");
    json_decref(o);
    o = parse_text("Lena Vogel\nNordic Paper AB\n", "SE");
    assert_string_equal(str(o, "company"), "Nordic Paper AB");
    json_decref(o);
    /* Spain's S.L. without its dots, in capitals after the name (a 640 x 480
     * photo's "Vantage Consulting SL" above the person was no company) */
    o = parse_text("Vantage Consulting SL\nJavier Fernandez Ruiz\nMarketing Director\n", "ES");
    assert_string_equal(str(o, "company"), "Vantage Consulting SL");
    assert_string_equal(str(o, "name"), "Javier Fernandez Ruiz");
    json_decref(o);
}

/* Names: debris read poorly, services and trades of a name's shape. */
static void name_debris_and_services(void **state) {
    (void)state;
    json_t *o = parse_dump("0.40 568,29,523,196\tTlaws Hs\n"
                           "0.75 533,353,495,130\t(11) 2684-7988\n",
                           "BR");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* read well, a short family name is a name */
    o = parse_dump("0.93 100,40,400,60\tDavid Ng\n"
                   "0.90 100,140,400,30\t+65 6123 4567\n",
                   "SG");
    assert_string_equal(str(o, "name"), "David Ng");
    json_decref(o);
    static const char *const services[] = {"Direção Hidráulica", "Auto Peças", "Carpentry Works",
                                           "Construction Management", NULL};
    for (int i = 0; services[i]; i++) {
        char t[128];
        snprintf(t, sizeof t, "%s\n+1 817 228 6401\n", services[i]);
        o = parse_text(t, "US");
        if (strcmp(str(o, "name"), "")) fail_msg("'%s' taken for a name", services[i]);
        json_decref(o);
    }
    o = parse_text("Maria da Conceição\n(11) 2684-7988\n", "BR");
    assert_string_equal(str(o, "name"), "Maria da Conceição");
    json_decref(o);
}

/* Phones from noisy lines: a number cut across two boxes of one row, a
 * messenger ID that is neither a phone nor an address, numbers without
 * their area code taking the card's, "Tel/Fax" a work number. */
static void phones_from_noisy_rows(void **state) {
    (void)state;
    json_t *o = parse_dump("0.90 10,10,300,30\tTel/Fax: 2966-\n"
                           "0.90 330,12,100,30\t2550\n"
                           "0.90 10,60,400,30\tTel: (11) 3123-0800\n",
                           "BR");
    assert_true(has_phone(o, "+551129662550"));
    assert_true(has_phone(o, "+551131230800"));
    size_t i;
    json_t *ph;
    json_array_foreach(json_object_get(o, "phones"), i, ph) assert_string_equal(str(ph, "type"), "work");
    json_decref(o);
    /* halves on different rows stay apart */
    o = parse_dump("0.90 10,10,300,30\tTel: 2966-\n"
                   "0.90 10,200,100,30\t2550\n"
                   "0.90 10,300,400,30\tTel: (11) 3123-0800\n",
                   "BR");
    assert_false(has_phone(o, "+551129662550"));
    json_decref(o);
    static const char *const slips[][4] = {
        /* a word of two look-alike letters between digit groups ("BO" of
         * Bangalore's 80); a '|' between two numbers stays a separator */
        {"Anand Mehta\n+91 BO 4123 5278\n", "IN", "+918041235278", ""},
        {"Lider Frio\nTel: (11) 2747-8430 | 2746-6245\n", "BR", "+551127478430", "+551127466245"},
        /* a dollar sign between digits is a 5 */
        {"Wouter Peeters\nTel 0475 12 32 $2\n", "BE", "+32475123252", ""},
        /* a comma inside an international number too short to end there;
         * two numbers a comma parts stay two */
        {"Luca Ferrari\nM +39 347,123 3464\n", "IT", "+393471233464", ""},
        {"Lider Frio\nTel +55 11 2747-8430,2746-6245\n", "BR", "+551127478430", "+551127466245"},
        /* a line that starts with its number: the label "T" read as a 1
         * glued to it ("16221" on a Singapore card) */
        {"Lim Wei Ming\n1622! 6208\nM9123 9403\nSingapore 069538\n", "US", "+6562216208", "+6591239403"}};
    phones_read_as(slips, sizeof slips / sizeof *slips);
    /* a printed label keeps the 1 */
    o = parse_text("Lim Wei Ming\nTel 16221 6208\nM9123 9403\nSingapore 069538\n", "US");
    assert_false(has_phone(o, "+6562216208"));
    json_decref(o);
    /* an O that starts a number is its trunk 0: not a US number without it */
    o = parse_text("Jonas Weber\nTel O30 2345 6789\n", "DE");
    assert_true(has_phone(o, "+493023456789"));
    json_decref(o);
    o = parse_text("Jonas Weber\nTel O30 2345 6789\n", "US");
    assert_false(has_phone(o, "+13023456789"));
    json_decref(o);
    o = parse_text("Auto Socorro\n(11) 2222-3333\nNextel 9.4000-4561\ncam 1 9.8697-6934\nID 35*65*43262\n", "BR");
    assert_true(has_phone(o, "+5511940004561"));
    assert_true(has_phone(o, "+5511986976934"));
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 3);
    assert_string_equal(str(o, "address"), "");
    json_decref(o);
}

/* Names of more cultures: Vietnamese and Central European letters beyond
 * Latin-1, honorifics and credentials around the name, a generational
 * suffix with the family name. */
static void names_of_many_cultures(void **state) {
    (void)state;
    static const char *const names[][3] = {
        {"Nguyễn Văn An\nGiám đốc\nnguyen.an@saigontech.vn\n", "Nguyễn Văn An", "VN"},
        {"Trần Thị Hương\n+84 28 3823 4567\n", "Trần Thị Hương", "VN"},
        {"Łukasz Wiśniewski\nlukasz.wisniewski@kovo.pl\n", "Łukasz Wiśniewski", "PL"},
        {"Dr. Anil Kumar\nSundaram Textiles Pvt. Ltd.\n", "Anil Kumar", "IN"},
        {"Prof. Dr.-Ing. Klaus Weber\nKeller Maschinenbau GmbH\n", "Klaus Weber", "DE"},
        {"Jane Doe, Ph.D., MBA\nNorthwind Labs Inc\n", "Jane Doe", "US"},
        {"Dott. Marco Rossi\nRossi Meccanica S.r.l.\n", "Marco Rossi", "IT"},
        {"Dr. med. Andreas Hoffmann\nFacharzt für Innere Medizin\n", "Andreas Hoffmann", "DE"},
        {"Dipl.-Kfm. Thomas Müller\nGeschäftsführer\n", "Thomas Müller", "DE"},
        {"Ing. Mgr. Petr Novák\nTECHSTAV s.r.o.\n", "Petr Novák", "CZ"},
        {"Cdor. Martín Fernández\nSocio Gerente\n", "Martín Fernández", "AR"},
        /* capitals with an honorific are a name; a business under it, not a capital company */
        {"DR. EMILY CHEN, DDS\nBright Smile Family Dentistry\n", "EMILY CHEN", "US"},
        {"DR. PEPPER BOTTLING CO.\n", "", "US"},
        /* a British chartered body's letters; a business of a name's shape is none */
        {"James Whitfield MRICS\nDirector\n", "James Whitfield", "GB"},
        {"Nguyen Thi Thu Ha\nAccount Manager\nFPT Software\nhantt@fsoft.com.vn\n", "Nguyen Thi Thu Ha", "VN"},
        /* Hong Kong: the family name in capitals, the English name after a comma */
        {"CHAN Tai Man, Peter\nSenior Manager\nGlobal Trade Finance\npeter.chan@hsbc.com.hk\n", "CHAN Tai Man, Peter",
         "HK"},
        /* a comma anywhere else is an address's, not a name's */
        {"Berlin, Germany\nTel +49 30 123456\n", "", "DE"},
        {"KOWLOON BAY, Hong Kong\nTel 2822 1111\n", "", "HK"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        json_t *o = parse_text(names[i][0], names[i][2]);
        if (strcmp(str(o, "name"), names[i][1])) fail_msg("case %zu: name '%s', want '%s'", i, str(o, "name"), names[i][1]);
        json_decref(o);
    }
    json_t *o = parse_text("Aguinaldo M. Righetti Jr.\nEscrevente Autorizado\n", "BR");
    assert_string_equal(str(o, "family_name"), "Righetti Jr");
    json_decref(o);
    /* the business under the name is no title */
    o = parse_text("Dr. Emily Chen, DDS\nBright Smile Family Dentistry\n", "US");
    assert_string_equal(str(o, "title"), "");
    json_decref(o);
    /* an honorific gives the e-mail no initial: k.schmidt stays k.schmidt */
    static const char *const mails[][3] = {
        {"Dipl.-Ing. Klaus-Peter Schmidt\nLeiter Vertrieb\nk.schmidt@mueller-soehne.de\n", "DE",
         "k.schmidt@mueller-soehne.de"},
        {"Dott. Marco Rossi\nm.rossi@rossimeccanica.it\n", "IT", "m.rossi@rossimeccanica.it"},
        /* a separator is no slip: k-watanabe stays, as j.smith and jsmith do */
        {"Kenji Watanabe\nk-watanabe@daiwaseiko.co.jp\n", "JP", "k-watanabe@daiwaseiko.co.jp"},
        /* a middle initial is no letter the e-mail lost */
        {"SARAH J. THOMPSON\nSenior Associate\nsarah.thompson@oakridge.co.uk\n", "GB", "sarah.thompson@oakridge.co.uk"},
        {"Michael R. Johnson\nmjohnsen@summit.com\n", "US", "mjohnson@summit.com"},
    };
    emails_read_as(mails, sizeof mails / sizeof *mails);
    /* a Drive with its number is still an address */
    o = parse_text("Anna Roy\n1200 Riverside Dr.\nAustin, TX 78701\n", "US");
    assert_non_null(strstr(str(o, "address"), "Riverside Dr"));
    json_decref(o);
}

/* A website needs a name of its own; a title's "de" read as "ce". */
static void site_and_title_repairs(void **state) {
    (void)state;
    json_t *o = parse_text("Lider Frio\nCom. de de pecas\n(11) 2747-8430\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    o = parse_text("Ricardo Nogueira\nConsultor ce marketing\nricknog39@gmail.com\n", "BR");
    assert_string_equal(str(o, "title"), "Consultor de marketing");
    json_decref(o);
    /* an e-mail whose '@' was read as 'O' repeats the website's domain */
    o = parse_text("Sofia Keller\nEmail: s.kellerOkeller-mb.de\nwww.keller-mb.de\n", "DE");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "s.keller@keller-mb.de");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    json_decref(o);
    /* a subdomain is not an e-mail: "shop.acme.com" beside acme.com has a dot before the domain */
    o = parse_text("Anna Roy\nshop.acme.com\nwww.acme.com\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    /* a '%' in a local part is a misread: kept, never confident */
    o = parse_text("Ricardo Nogueira\nricknog3%@gmail.com\n", "BR");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "ricknog3%@gmail.com");
    assert_true(json_is_false(json_object_get(json_object_get(o, "confident"), "emails")));
    json_decref(o);
}

/* A name and its title on one row, joined by a comma or a dash. */
static void name_and_title_on_one_row(void **state) {
    (void)state;
    json_t *o = parse_text("Anna Lindqvist, CEO\nNordvik AB\na.lindqvist@nordvik.se\n", "SE");
    assert_string_equal(str(o, "name"), "Anna Lindqvist");
    assert_string_equal(str(o, "title"), "CEO");
    json_decref(o);
    o = parse_text("Jan Novak - Sales Director\nKovoprum s.r.o.\n", "CZ");
    assert_string_equal(str(o, "name"), "Jan Novak");
    assert_string_equal(str(o, "title"), "Sales Director");
    json_decref(o);
    /* a company with commas and an address with a number stay whole */
    o = parse_text("Anna Roy\nThompson, Yang and Trujillo\n", "US");
    assert_string_equal(str(o, "company"), "Thompson, Yang and Trujillo");
    json_decref(o);
}

/* Cards of more countries: an acronym domain, Belgian and Dutch addresses
 * with four-digit postcodes, Vietnamese legal forms and phone labels. */
/* One field of a parsed card: cases[k][0] parsed for region cases[k][1]
 * gives cases[k][3] in field cases[k][2] ("name", "title", "address" ...;
 * "address_parts.city" for a part of the address). */
static void fields_read_as(const char *const (*cases)[4], size_t n) {
    for (size_t i = 0; i < n; i++) {
        json_t *o = parse_text(cases[i][0], cases[i][1]);
        const json_t *at = o;
        const char *f = cases[i][2], *dot = strchr(f, '.');
        char head[32];
        if (dot) {
            snprintf(head, sizeof head, "%.*s", (int)(dot - f), f);
            at = json_object_get(o, head);
            f = dot + 1;
        }
        if (strcmp(str(at, f), cases[i][3])) fail_msg("case %zu: %s '%s'", i, cases[i][2], str(at, f));
        json_decref(o);
    }
}

/* Round 12: a tagline under the name is no title; a capitalised
 * abbreviation and its dot before a word that is a country's code ("San.
 * ve", Turkish Sanayi ve Ticaret) is no web site, and A.Ş. is a legal
 * form; a sentence with a street word is no address, a post-office box
 * is; a Canadian address is one, and so is a Brazilian town line ending
 * in its state after a slash. */
static void taglines_boxes_and_canada(void **state) {
    (void)state;
    static const char *const OLIVEIRA = "R. OLIVEIRA\nAceitamos os cartoes\nNextel 9.4000-4561\n",
                             *const TURKISH = "Mehmet Yılmaz\nSatış Müdürü\nAnadolu Makina San. ve Tic. A.Ş.\n"
                                              "mehmet.yilmaz@anadolumakina.com.tr\n",
                             *const KOWHAI = "Kowhai Landscapes Ltd\nCreating gardens you'll love\nAroha Ngata\n"
                                             "Director\nPO Box 4521, Hamilton 3247\nPh 07 855 1200\n",
                             *const MONTREAL = "Isabelle Tremblay\nAssociée\n1250, boul. René-Lévesque Ouest, bureau "
                                               "2200\nMontréal (Québec) H3B 4W8\nTél. : 514 555-0142\n",
                             *const PAULISTA = "Fernanda Costa Ribeiro\nAv. Paulista, 2073 - Conj. 1412\n"
                                               "Bela Vista - São Paulo/SP\n";
    static const char *const cases[][4] = {
        {OLIVEIRA, "BR", "title", ""},
        {"Mike Donnelly\nWe fix it right the first time\n(303) 555-0187\n", "US", "title", ""},
        {"Mike Donnelly\nOwner\n(303) 555-0187\n", "US", "title", "Owner"},
        {TURKISH, "TR", "company", "Anadolu Makina San. ve Tic. A.Ş"},
        {KOWHAI, "NZ", "address", "PO Box 4521, Hamilton 3247"},
        {KOWHAI, "NZ", "address_parts.postal_code", "3247"},
        {KOWHAI, "NZ", "address_parts.city", "Hamilton"},
        {MONTREAL, "US", "address_parts.postal_code", "H3B 4W8"},
        {MONTREAL, "US", "address_parts.city", "Montréal"},
        {MONTREAL, "US", "address_parts.country", "CA"},
        {PAULISTA, "BR", "address_parts.city", "São Paulo"},
        {PAULISTA, "BR", "address_parts.region", "SP"},
        {PAULISTA, "BR", "address_parts.street", "Av. Paulista, 2073, Conj. 1412, Bela Vista"},
    };
    fields_read_as(cases, sizeof cases / sizeof cases[0]);
    json_t *o = parse_text(TURKISH, "TR");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
}

/* Round 14: a small business names the person to ask for after its
 * number ("/ Valdeci", cards_real am17), the name when no line is one;
 * never a label, a carrier, a place of the address, a second name. */
static void person_named_after_the_number(void **state) {
    (void)state;
    static const char *const AM17 = "Direção Hidráulica\n11 2785-4545 / 2783-6958 - ID 45*8*12146 / Valdeci\n",
                             *const TWO = "Buffet Alegria\nFestas e eventos\n(11) 98765-4321 c/ Ana Paula\n",
                             *const NAMED = "Marcos Lima\nGerente\nAuto Peças Lima Ltda.\n(11) 2345-6789 / Valdeci\n",
                             *const CENTRO = "Padaria Pão Nosso\nRua das Flores, 120 - Centro\n(11) 2345-6789 / Centro\n";
    static const char *const cases[][4] = {
        {AM17, "BR", "name", "Valdeci"},
        {AM17, "BR", "given_name", "Valdeci"},
        {TWO, "BR", "name", "Ana Paula"},
        {TWO, "BR", "family_name", "Paula"},
        {NAMED, "BR", "name", "Marcos Lima"},
        {CENTRO, "BR", "name", ""},
        {"Oficina do Zé\n(11) 2345-6789 / Fax\n", "BR", "name", ""},
        {"Oficina do Zé\n(11) 98765-4321 / Vivo\n", "BR", "name", ""},
        {"Oficina do Zé\n(11) 98765-4321 / Recados\n", "BR", "name", ""},
        {"Oficina do Zé\n(11) 98765-4321 / Gerente\n", "BR", "name", ""},
        {"Oficina do Zé\n(11) 98765-4321 / Atendimento 24 horas\n", "BR", "name", ""},
        {"Oficina do Zé\nAv. Brasil 500 / Valdeci\n", "BR", "name", ""},
    };
    fields_read_as(cases, sizeof cases / sizeof cases[0]);
    json_t *o = parse_text(AM17, "BR");
    assert_false(confident(o, "name"));
    json_decref(o);
}

/* Round 14: a line that ends in a comma goes on (a list of wares cut at
 * the end of its row, cards_real am22 at 640 px): no name. Round 29: not
 * over a role or a unit, where a person's name stands (a speck on a dark
 * panel read as a comma, ocr_cards2 7531). */
static void line_ending_in_a_comma_is_no_name(void **state) {
    (void)state;
    static const char *const WARES = "PATRICAUTO\nSupermercado de Auto Peças\nLinha Completa de Faróis,\n"
                                     "Lanternas, Retrovisores, Frisos e Laterais.\nFax: 2131-3418\n",
                             *const NAMED = "Paulo Mendes\nLinha Completa de Faróis,\nLanternas e Retrovisores\n"
                                            "Fax: 2131-3418\n";
    static const char *const cases[][4] = {
        {WARES, "BR", "name", ""},
        {NAMED, "BR", "name", "Paulo Mendes"},
        {"Pinnacle BV\nLotte Maes,\nEngineering Department\nBusiness Development Manager\nT +32 3 223 9242\n",
         "BE", "name", "Lotte Maes"},
        /* the list goes on to the right, and the line below lists on */
        {"PATRICAUTO\nSupermercado de Auto Peças\nLinha Completa de Faróis,\nGuarnições e Canaleta:\n"
         "Fax: 2131-3418\n",
         "BR", "name", ""},
    };
    fields_read_as(cases, sizeof cases / sizeof cases[0]);
}

/* A role named after its unit ("Section Manager") is the role, before a
 * unit line with more title words; the unit printed beside it joins it. */
static void role_named_after_its_unit(void **state) {
    (void)state;
    static const char *const MITSUOKA = "MITSUOKA ELECTRIC\nSales Section 2, Industrial Systems Sales Dept.\nSection "
                                        "Manager\nHiroshi Sato\nMitsuoka Electric Corporation\nh.sato@mitsuoka-elec.com\n";
    static const char *const cases[][4] = {
        {MITSUOKA, "JP", "name", "Hiroshi Sato"},
        {MITSUOKA, "JP", "title", "Sales Section 2, Industrial Systems Sales Dept., Section Manager"},
        {"Anna Roy\nAcme Corp\nTeam Leader\nanna@acme.com\n", "US", "title", "Team Leader"},
    };
    fields_read_as(cases, sizeof cases / sizeof cases[0]);
}

/* Names printed with something beside them: an honorific or an English
 * name in brackets, Indian degrees after a comma, an English given name
 * after a comma ("Tan Ah Kow, Jeremy": given Jeremy, family Tan); a family
 * name first that the e-mail shows ("Zhang Wei" and david.zhang@); an
 * initial whose dot was read as a star ("M*Righetti"), a speck read as a
 * quote before it. */
static void names_with_brackets_degrees_and_commas(void **state) {
    (void)state;
    static const char *const ZHANG = "Zhang Wei (David)\nSales Director\ndavid.zhang@orientaltextile.cn\n",
                             *const IYER = "Rajesh Kumar Iyer, B.Tech, MBA\nVice President - Sales\n"
                                           "rajesh.iyer@bharatelectro.co.in\n",
                             *const TAN = "Tan Ah Kow, Jeremy\nSenior Vice President, Asia Pacific\n"
                                          "jeremy.tan@meridiancp.com.sg\n";
    static const char *const cases[][4] = {
        {ZHANG, "CN", "name", "Zhang Wei"},
        {ZHANG, "CN", "given_name", "Wei"},
        {ZHANG, "CN", "family_name", "Zhang"},
        {"LE THI HONG NHUNG (Ms.)\nImport - Export Manager\nnhung.le@saigonfood.com.vn\n", "VN", "name",
         "LE THI HONG NHUNG"},
        {IYER, "IN", "name", "Rajesh Kumar Iyer"},
        {IYER, "IN", "family_name", "Iyer"},
        {TAN, "SG", "name", "Tan Ah Kow, Jeremy"},
        {TAN, "SG", "given_name", "Jeremy"},
        {TAN, "SG", "family_name", "Tan"},
        {"Anna Roy\nroy.anna@acme.com\n", "US", "given_name", "Anna"},
        {"Wei Zhang\nwei.zhang@acme.com\n", "US", "family_name", "Zhang"},
        /* a town and its country after a comma is no name */
        {"Rio de Janeiro, Brazil\n+55 21 2222-3333\n", "BR", "name", ""},
        /* an initial's dot read as a star (a small photo) */
        {"(Guina)\nAguinaldo M*Righetti Jr\nEscrevente Autorizado\n", "BR", "name", "Aguinaldo M. Righetti Jr"},
        {"Nextel ID 45*8*12146\nAna Lima\n", "BR", "name", "Ana Lima"},
        /* a speck read as a quote before the name (a hand-held photo); the
         * e-mail's misread initial then follows the name */
        {"\xE2\x80\x98Lucas Dubois\nE Wdubois@vantage.fr\n", "FR", "name", "Lucas Dubois"},
        {"Conor O'Brien\nSales Manager\n", "IE", "name", "Conor O'Brien"},
    };
    fields_read_as(cases, sizeof cases / sizeof cases[0]);
}

/* A tradesman's promises ("Licensed & Insured", "Free Estimates") are no
 * name and no company; a licence or registration number is no address
 * line, nor are opening hours; a street word that is also a business's
 * word ("Studio") makes an address only beside a number, and an English
 * -ing is no German ...ring; a US ZIP+4 is no number; a bare host with a
 * TLD firms print bare is a site, a legal form glued to a TLD none. */
static void promises_licences_and_studios(void **state) {
    (void)state;
    static const char *const ROOFER = "LONE STAR ROOFING\nLicensed & Insured\nFree Estimates\nCarlos Mendoza\n"
                                      "Owner / Operator\nCall or Text: (512) 555-0148\nlonestarroofingtx@gmail.com\n",
                             *const SMILE = "Dr. Priya Natarajan, DDS\nSmile Studio Dental\nhello@smilestudiodental.ca\n",
                             *const YAMADA = "Yamada Manufacturing Co., Ltd.\nTaro Yamada\nTEL 052-123-4567\n";
    static const char *const cases[][4] = {
        {ROOFER, "US", "name", "Carlos Mendoza"},
        {ROOFER, "US", "company", "LONE STAR ROOFING"},
        {"Sarah Whitfield\nVice President\nNMLS #482910\n200 E Main St, Greenville, SC 29601\n", "US", "address",
         "200 E Main St, Greenville, SC 29601"},
        {"Fernanda Costa\nCirurgiã-Dentista\nCRO-SP 84.221\nRua Augusta, 1500\n", "BR", "address", "Rua Augusta, 1500"},
        {SMILE, "CA", "company", "Smile Studio Dental"},
        {SMILE, "CA", "address", ""},
        {YAMADA, "JP", "address", ""},
        {YAMADA, "JP", "company", "Yamada Manufacturing Co., Ltd"},
        {"Anna Roy\nAltstadtring 12\n80331 München\n", "DE", "address", "Altstadtring 12, 80331 München"},
        {"Marco Bellini\nOpen Tue-Sun 5pm - 10pm\n1220 Pearl St, Boulder, CO 80302\n", "US", "address",
         "1220 Pearl St, Boulder, CO 80302"},
        {"Anna Roy\n500 Main Street, Suite 200, Springfield IL 62701-1234, USA\n", "US", "address",
         "500 Main Street, Suite 200, Springfield IL 62701-1234, USA"},
        {"Anna Roy\nStudio 7, 22 Hussain Street\nLondon WC2B 6UN\n", "GB", "address",
         "Studio 7, 22 Hussain Street, London WC2B 6UN"},
        {"Mick O'Brien\nLicensed Plumber\nLic. No. 123456C\n0412 555 789\n", "AU", "address", ""},
        /* a registered office is an address, "Reg." no registration number */
        {"Anna Roy\nReg. Office: 12 High Street, Oxford OX1 4AP\n", "GB", "address_parts.postal_code", "OX1 4AP"},
    };
    fields_read_as(cases, sizeof cases / sizeof cases[0]);
    json_t *o = parse_text("ANNA ROY\nin linkedin.com/in/annaroy\n⌂ roycreative.co\n", "US");
    json_t *ws = json_object_get(o, "websites");
    assert_int_equal(json_array_size(ws), 2);
    assert_string_equal(json_string_value(json_array_get(ws, 1)), "roycreative.co");
    json_decref(o);
    o = parse_text("Ana Souza\nEletronica Adachi Ltda.co\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
}

/* A company's registration, tax or licence number is no phone, unless a
 * phone label stands right before a number on its line. */
static void registration_numbers_are_no_phones(void **state) {
    (void)state;
    static const char *const cases[][3] = {
        {"Stefan Müller\nTel. +49 89 3200 1450\nUSt-IdNr. DE 812345678\n", "DE", "+498932001450"},
        {"Claire Dubois\nTél. 01 42 65 78 90\nSAS au capital de 50 000 € - RCS Paris 812 345 678\n", "FR",
         "+33142657890"},
        {"Giulia Romano\nTel. 011 561 2233\nP.IVA 01234567890\n", "IT", "+390115612233"},
        {"Sanne de Jong\nT +31 10 428 5566\nKvK 24123456\n", "NL", "+31104285566"},
        {"Ana Souza\nCNPJ 12.345.678/0001-90 Tel (11) 3333-4444\n", "BR", "+551133334444"},
        /* a short label counts only in capitals: Iva is a name */
        {"Iva Novak +385 91 234 5678\n", "HR", "+385912345678"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o = parse_text(cases[i][0], cases[i][1]);
        json_t *ph = json_object_get(o, "phones");
        assert_int_equal(json_array_size(ph), 1);
        assert_string_equal(str(json_array_get(ph, 0), "number"), cases[i][2]);
        json_decref(o);
    }
}

/* Seen on round 12's held-out parse set: a title's Spanish unit is no
 * misread English word; a company whose mail-provider address skips a
 * word of its name. */
static void held_out_round12(void **state) {
    (void)state;
    static const char *const cases[][4] = {
        {"Lucía Fernández\nGerente de Operaciones\nlfernandez@vinosdelsur.com.ar\n", "AR", "title",
         "Gerente de Operaciones"},
        {"PADARIA E CONFEITARIA BOM GOSTO\nPães, bolos e salgados - Encomendas\n(19) 3232-1010\n"
         "padariabomgosto@hotmail.com\n",
         "BR", "company", "PADARIA E CONFEITARIA BOM GOSTO"},
    };
    fields_read_as(cases, sizeof cases / sizeof cases[0]);
}

static void cards_of_more_countries(void **state) {
    (void)state;
    json_t *o = parse_text("Priya Sharma\nSenior Manager\nTata Consultancy Services\npriya.sharma@tcs.com\n", "IN");
    assert_string_equal(str(o, "company"), "Tata Consultancy Services");
    json_decref(o);
    o = parse_text("Jan Peeters\nZaakvoerder\nPeeters Bouw BVBA\njan@peetersbouw.be\nKerkstraat 12, 2000 Antwerpen\n", "BE");
    assert_string_equal(str(o, "company"), "Peeters Bouw BVBA");
    assert_string_equal(str(o, "address"), "Kerkstraat 12, 2000 Antwerpen");
    json_t *ap = json_object_get(o, "address_parts");
    assert_string_equal(str(ap, "postal_code"), "2000");
    assert_string_equal(str(ap, "city"), "Antwerpen");
    assert_string_equal(str(ap, "country"), "BE");
    json_decref(o);
    o = parse_text("Eva de Vries\nKeizersgracht 123\n1015 CJ Amsterdam\n", "NL");
    ap = json_object_get(o, "address_parts");
    assert_string_equal(str(ap, "postal_code"), "1015 CJ");
    assert_string_equal(str(ap, "city"), "Amsterdam");
    json_decref(o);
    /* a US street starts with four digits: not a postcode */
    o = parse_text("John Miller\n1234 Elm St, Dallas, TX 75201\n", "US");
    ap = json_object_get(o, "address_parts");
    assert_string_equal(str(ap, "postal_code"), "75201");
    assert_string_equal(str(ap, "street"), "1234 Elm St");
    json_decref(o);
    o = parse_text("CONG TY TNHH ABC\nNguyễn Văn Minh\nGiám Đốc\nĐT: 028 3823 4567\nDĐ: 0903 123 456\n", "VN");
    assert_string_equal(str(o, "company"), "CONG TY TNHH ABC");
    assert_string_equal(str(o, "title"), "Giám Đốc");
    size_t i;
    json_t *ph;
    json_array_foreach(json_object_get(o, "phones"), i, ph) {
        if (!strcmp(str(ph, "number"), "+84903123456")) assert_string_equal(str(ph, "type"), "mobile");
        else assert_string_equal(str(ph, "type"), "work");
    }
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 2);
    json_decref(o);
    /* Malaysia's "H/P" is the hand phone */
    o = parse_text("Tan Ah Kow\nTel: 07-599 1234\nH/P: 012-765 4321\n", "MY");
    json_array_foreach(json_object_get(o, "phones"), i, ph) {
        if (!strcmp(str(ph, "number"), "+60127654321")) assert_string_equal(str(ph, "type"), "mobile");
        else assert_string_equal(str(ph, "type"), "work");
    }
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 2);
    json_decref(o);
}

/* Pieces of one printed line boxed apart are one line; columns are not. */
static void row_pieces_joined(void **state) {
    (void)state;
    json_t *o = parse_dump("0.93 645,190,293,44\tSofia Keller\n"
                           "0.77 59,246,204,25\tindustriestr.\n"
                           "0.97 236,242,31,41\t12\n"
                           "0.85 55,290,238,38\t80339 Muenchen\n",
                           "DE");
    assert_string_equal(str(o, "address"), "industriestr. 12, 80339 Muenchen");
    assert_string_equal(str(o, "name"), "Sofia Keller");
    json_decref(o);
    /* two columns on one row stay apart: the name is not joined to the phone */
    o = parse_dump("0.93 40,100,300,40\tSofia Keller\n"
                   "0.93 700,100,300,40\t+49 89 4521 7730\n",
                   "DE");
    assert_string_equal(str(o, "name"), "Sofia Keller");
    assert_true(has_phone(o, "+498945217730"));
    json_decref(o);
    /* a firm's name ended by its legal form and a role beside it on the
     * row are two fields (the logo's first word unread) */
    o = parse_dump("0.96 590,16,409,57\tDavid Nguyen\n"
                   "0.86 245,85,339,46\tConsulting Inc\n"
                   "0.97 597,96,297,39\tManaging Director\n"
                   "0.94 609,225,291,44\tM (783) 555-0102\n",
                   "US");
    assert_string_equal(str(o, "company"), "Consulting Inc");
    assert_string_equal(str(o, "title"), "Managing Director");
    json_decref(o);
    /* a short piece left of a taller one on its row comes second in
     * reading order (by the tops), and still joins in front (cards_real
     * am11 at 640 px: "R." boxed apart from "OLIVEIRA") */
    const char *lone = "0.86 0,34,958,59\tAUTO SOCORRO\n"
                       "0.88 324,120,48,30\tR.\n"
                       "0.90 335,104,312,47\tOLIVEIRA\n"
                       "0.92 38,425,364,28\tNextel 9.4000-4561\n";
    o = parse_dump(lone, "BR");
    assert_string_equal(str(o, "name"), "R. OLIVEIRA");
    assert_string_equal(str(o, "company"), "AUTO SOCORRO R. OLIVEIRA");
    json_decref(o);
    /* not when the piece sits a third of a line off the taller one's middle */
    o = parse_dump("0.86 0,34,958,59\tAUTO SOCORRO\n"
                   "0.88 324,128,48,30\tR.\n"
                   "0.90 335,104,312,47\tOLIVEIRA\n",
                   "BR");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* a row aslant (round 34, a held-out hand-held render 6035, photo 026):
     * pieces of one type size drift apart in height along the row; the
     * name's two words are one line, and the title's word broken at a
     * speck read as a dot ("Softw." + "are") is a title cut, never sure
     * (the title's two pieces were the name before) */
    o = parse_dump("0.96 199,125,276,78\tMarco\n0.96 508,146,331,79\tRomano\n"
                   "0.94 192,205,288,49\tSenior Softw.\n0.96 480,226,278,47\tare Engineer\n"
                   "0.96 182,332,533,60\tTel: +39 02 1234 6427\n0.89 177,383,712,72\tEmail: marco.romano@orion.it\n",
                   "IT");
    const json_t *sure = json_object_get(o, "confident");
    assert_false(json_is_true(json_object_get(sure, "title")));
    assert_string_equal(str(o, "title"), "Senior Softw. are Engineer");
    assert_string_equal(str(o, "name"), "Marco Romano");
    json_decref(o);
    /* a drift of more than ROW_SLOPE of the way, or pieces of two type
     * sizes, are two rows (no name of two words); and a speck is no piece
     * of an aslant row (cards_real am01's "=" beside its service line had
     * joined it; before a name, the name was lost) */
    static const struct {
        const char *dump, *name;
    } apart[] = {
        {"0.96 199,125,276,78\tMarco\n0.96 508,180,331,79\tRomano\n", NULL},
        {"0.96 199,125,276,78\tMarco\n0.96 508,146,331,90\tRomano\n", NULL},
        {"0.89 46,108,176,107\t=\n0.96 139,151,900,113\tMarco Romano\n0.90 139,300,600,50\tmarco.romano@orion.it\n",
         "Marco Romano"},
    };
    for (size_t i = 0; i < sizeof apart / sizeof *apart; i++) {
        o = parse_dump(apart[i].dump, "IT");
        if (apart[i].name) assert_string_equal(str(o, "name"), apart[i].name);
        else assert_string_not_equal(str(o, "name"), "Marco Romano");
        json_decref(o);
    }
    /* a second reading of a line's end boxed over it (round 35, a held-out
     * render 8317, photo 032: "vn" over "minhduc@bluewave vn", read first
     * by its top) goes, and the line stands alone; a piece only touching
     * the line's end is joined as before */
    o = parse_dump("0.96 79,168,458,49\tPHAM MINH DUC\n0.96 391,470,39,41\tvn\n"
                   "0.83 78,474,348,28\tminhduc@bluewave vn\n",
                   "VN");
    const json_t *em = json_object_get(o, "emails");
    assert_int_equal(json_array_size(em), 1);
    assert_string_equal(json_string_value(json_array_get(em, 0)), "minhduc@bluewave.vn");
    json_decref(o);
    o = parse_dump("0.96 79,168,458,49\tPHAM MINH DUC\n0.90 76,397,250,44\t+84 28 3823 12\n"
                   "0.90 322,397,30,44\t52\n",
                   "VN");
    assert_true(has_phone(o, "+842838231252"));
    json_decref(o);
}

static void company_from_dominant_type(void **state) {
    (void)state;
    /* no legal form, no domain: the line in the largest type is the business */
    const ln_t shop[] = {{"Tudo e possivel", 30},     {"OPTICA DA JO", 80},  {"oculos e lentes de contato", 30},
                         {"Av. Itaquera, 2994", 30}, {"(11) 3569-6905", 30}, {NULL, 0}};
    json_t *o = parse_lines(shop, "BR");
    assert_string_equal(str(o, "company"), "OPTICA DA JO");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    /* on a person's card the name is the largest: no company is invented */
    const ln_t person[] = {{"Renan Beato", 60}, {"Gerente de Contas", 30}, {"Rua Boa Vista, 254", 30}, {NULL, 0}};
    o = parse_lines(person, "BR");
    assert_string_equal(str(o, "name"), "Renan Beato");
    assert_string_equal(str(o, "company"), "");
    json_decref(o);
}

static void country_of_every_number(void **state) {
    (void)state;
    /* the e-mail's country TLD (under a second-level .com.br) beats the board's region */
    json_t *o = parse_text("Renan Beato\nrbeato@alertasecurity.com.br\nAlerta Security Solutions\nFone (11) 3105-8655\n", "US");
    assert_true(has_phone(o, "+551131058655"));
    assert_string_equal(str(o, "company"), "Alerta Security Solutions"); /* matched to the .com.br stem */
    json_decref(o);
    /* a Dutch postcode, or a business city the card names, is the country
     * of numbers printed without their code */
    static const char *const places[][4] = {
        {"Jan de Vries\nPolder Logistiek\nStationsplein 1\n8011 CW Zwolle\nT 038 123 4567\n", "US", "+31381234567", ""},
        {"Sanne Visser\nProduct Designer\n020 123 0972 | 06 1234 8063\n283, 1015 C) Amsterdam\n", "US", "+31201230972",
         "+31612348063"},
        {"Claire Martin\nLyon office\nTel 04 78 12 34 56\n", "US", "+33478123456", ""},
        /* a French postcode in two groups has a town after it, a Belgian
         * number in groups none: the board's Belgium stays */
        {"Lotte Peeters\n0475 12 70 42\n09 223 67 08\n", "BE", "+32475127042", "+3292236708"},
        {"Claire Martin\n68 949 Camus\nTel 04 78 12 34 56\n", "BE", "+33478123456", ""}};
    phones_read_as(places, sizeof places / sizeof *places);
    /* an unambiguous US address on a BR board */
    o = parse_text("Daniel Whitton\nCell: 817.228.6401\nJustin, TX 76247\n", "BR");
    assert_true(has_phone(o, "+18172286401"));
    json_decref(o);
    /* a printed country code wins over everything */
    o = parse_text("Lyon office\nT +44 20 7946 0018\nsales@lumiere.fr\n", "US");
    assert_true(has_phone(o, "+442079460018"));
    json_decref(o);
    /* each block its own country: the branch office's number is Singapore's, the head office's Japan's */
    o = parse_text("Kenji Sato\nTokyo Head Office\nTel +81 3 3211 5678\nSingapore Branch\nTel 6123 4567\n"
                   "kenji.sato@marutrade.co.jp\n",
                   "JP");
    assert_true(has_phone(o, "+81332115678"));
    assert_true(has_phone(o, "+6561234567"));
    json_decref(o);
    /* a vanity TLD (.io) says nothing: the board's region */
    o = parse_text("Tel (415) 555-0134\nhello@acme.io\n", "US");
    assert_true(has_phone(o, "+14155550134"));
    json_decref(o);
    /* the one country the card names holds for a number in a block that
     * names none: an Indian mobile on a US board is not +1 (a valid NANP
     * number as well), a Korean one printed with its code but no '+' is
     * found under a line of numbers */
    static const char *const named[][4] = {
        {"Rajesh Kumar Srinivasan\nBengaluru 560 100, India\nTel: 91 80 2852 0261\nMobile: 98450 12345\n", "US",
         "+918028520261", "+919845012345"},
        {"Kim Min-jun\nHwaseong-si, Gyeonggi-do, Korea\nTel. 82-31-208-2114\nMobile 82-10-1234-5678\n", "US",
         "+82312082114", "+821012345678"},
        /* two countries named: no card-wide hint, each block its own */
        {"Kenji Sato\nTokyo, Japan\nTel 03 3211 5678\nSingapore Branch\nTel 6123 4567\n", "US", "+81332115678",
         "+6561234567"},
        /* nothing names the country: a number with its code as a group of
         * its own and no '+', that no region of the card reads, is that
         * code's country's */
        {"Park Ji-hoon\nTel 82-31-123-4567  Mobile 82-10-9876-5432\njh.park@hanbitsemi.com\n", "US", "+82311234567",
         "+821098765432"},
        {"Thomas Berg\nTel. 49 30 1234567\nMobil 49 171 1234567\n", "BR", "+49301234567", "+491711234567"},
        /* an Indian PIN set off by a dash names India; six digits are
         * Russian only in a Cyrillic address */
        {"Suresh Anand\nPlot No. 45, MIDC Industrial Area, Bhosari, Pune - 411026\nPh: 020-2712 3456\n"
         "Mob: 98220 12345\nanandengg@gmail.com\n",
         "US", "+912027123456", "+919822012345"},
    };
    phones_read_as(named, sizeof named / sizeof *named);
    /* a number given its '+' is a guess: the card's phones are not sure then */
    o = parse_text("Park Ji-hoon\nTel 82-31-123-4567  Mobile 82-10-9876-5432\njh.park@hanbitsemi.com\n", "US");
    assert_false(confident(o, "phones"));
    json_decref(o);
    /* ... but the card's own region reads it first: an Italian mobile, a US number */
    o = parse_text("Marco Rossi\nCell. 335 1234567\n", "IT");
    assert_true(has_phone(o, "+393351234567"));
    json_decref(o);
    o = parse_text("Emily Carter\nTel 415 555 0134\n", "US");
    assert_true(has_phone(o, "+14155550134"));
    json_decref(o);
}

static void local_and_old_numbers(void **state) {
    (void)state;
    /* the German way of setting the area code apart: one number; a slash
     * between two whole numbers still parts them */
    json_t *g = parse_text("Andreas Hoffmann\nMarktplatz 3\n80331 München\nTel. 089 / 12 34 56\n"
                           "praxis@hoffmann-muenchen.de\n",
                           "US");
    assert_true(has_phone(g, "+4989123456"));
    json_decref(g);
    g = parse_text("Tel. 0711 / 123456-0\n", "DE");
    assert_true(has_phone(g, "+497111234560"));
    json_decref(g);
    /* the second number has no area code: it takes the card's */
    json_t *o = parse_text("Fones 11 2082-2399 / 2646-6123\n", "BR");
    assert_true(has_phone(o, "+551120822399"));
    assert_true(has_phone(o, "+551126466123"));
    json_decref(o);
    /* the same with no spaces, as a small photo reads it: the slash after a
     * whole number parts it too; a German area code's slash still does not */
    o = parse_text("Tel:(11)2747-8430/2746-6245\n", "BR");
    assert_true(has_phone(o, "+551127478430"));
    assert_true(has_phone(o, "+551127466245"));
    json_decref(o);
    o = parse_text("Tel. 040/7441031\n", "DE");
    assert_true(has_phone(o, "+49407441031"));
    json_decref(o);
    /* an old 8-digit mobile in brackets: kept as printed */
    o = parse_text("(11) 9933-6564\n", "BR");
    assert_true(has_phone(o, "+551199336564"));
    json_decref(o);
    /* but a bare 8-digit run with no label and no area code anywhere is not guessed */
    o = parse_text("CEP 01137-000\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 0);
    json_decref(o);
}

static void fields_split_at_bars(void **state) {
    (void)state;
    /* a bar between fields on one row: the name is a line of its own */
    json_t *o = parse_text("| Daniel Whitton | Cel: 817.228.4403\nEmail dw@verizon.com\nJustin, TX 76247\n", "US");
    assert_string_equal(str(o, "name"), "Daniel Whitton");
    assert_true(has_phone(o, "+18172284403"));
    json_decref(o);
    /* a bar inside a token splits nothing: one address line */
    o = parse_text("Ana Lima\n12 Main St|Suite 4, Austin, TX 78701\n", "US");
    assert_string_equal(str(o, "address"), "12 Main St|Suite 4, Austin, TX 78701");
    json_decref(o);
    /* an address row with bars stays whole */
    o = parse_text("Renan Beato\nRua Boa Vista, 254 | 17º and\nCep 01014-000 | Centro | Sao Paulo | SP\n", "BR");
    assert_string_equal(str(o, "company"), "");
    assert_non_null(strstr(str(o, "address"), "17º and"));
    json_decref(o);
}

/* Perturbed real photos (cards_real a grey level brighter or darker): a
 * number behind an icon read as a mark at the end of the address's row,
 * a phone label before a bar, a webmail address whose '@' became a letter,
 * an e-mail cut before its country code beside the whole site. */
static void marks_between_fields(void **state) {
    (void)state;
    /* the icon between the address and the number, read '@', '©' or '|' */
    static const char *const ICONS[] = {"@", "\xC2\xA9", "|"};
    for (size_t i = 0; i < sizeof ICONS / sizeof ICONS[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "optica da jô\nAv. Itaquera, 2994 - Jd. Fernandes-SP %s 3569-6905\n"
                                    "© 97038-8110\n",
                 ICONS[i]);
        json_t *o = parse_text(text, "BR");
        assert_true(has_phone(o, "+551135696905"));
        assert_string_equal(str(o, "address"), "Av. Itaquera, 2994 - Jd. Fernandes-SP");
        json_decref(o);
    }
    /* a label before the bar stays with its number; an address row with
     * words after the bar stays whole */
    json_t *o = parse_text("Fax | 3569-6905\n", "BR");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "phones"), 0), "type")),
                        "fax");
    json_decref(o);
    o = parse_text("Renan Beato\nRua Boa Vista, 254 | 17 andar\n", "BR");
    assert_string_equal(str(o, "address"), "Rua Boa Vista, 254 | 17 andar");
    json_decref(o);
    /* a webmail's domain glued on by a letter that is no '@' shape: the
     * e-mail, less sure than one glued by an 'o' */
    o = parse_text("Ricardo Nogueira\nricknog39wgmail.com\n", "BR");
    assert_string_equal(first_mail(o), "ricknog39@gmail.com");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    double w = json_real_value(json_object_get(json_object_get(o, "confidence"), "emails"));
    json_decref(o);
    o = parse_text("Ricardo Nogueira\nricknog39ogmail.com\n", "BR");
    assert_string_equal(first_mail(o), "ricknog39@gmail.com");
    assert_true(w < json_real_value(json_object_get(json_object_get(o, "confidence"), "emails")));
    json_decref(o);
    /* the e-mail lost the site's country code at the line's end */
    o = parse_text("Microvida\nmicrovida@microvida.com\nwww.microvida.com.br\n", "BR");
    assert_string_equal(first_mail(o), "microvida@microvida.com.br");
    json_decref(o);
    /* not at a webmail's domain: the site is not taken */
    o = parse_text("Ana Lima\nana@gmail.com\nwww.gmail.com.br\n", "BR");
    assert_string_equal(first_mail(o), "ana@gmail.com");
    json_decref(o);
    /* "de" before a word in small letters is Portuguese, no TLD (a misread
     * 'o' as '@'); ending the line it is one */
    o = parse_text("optica da jô\néculos @ lentes de contato\n(11) 3569-6905\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    assert_true(has_phone(o, "+551135696905"));
    json_decref(o);
    o = parse_text("Hans Weber\nhweber@bluewave de\n", "DE");
    assert_string_equal(first_mail(o), "hweber@bluewave.de");
    json_decref(o);
}

/* The line right over a role is where cards print the name: cards_real
 * am20 read a grey level darker, its office's name misread into two words
 * of a name's shape, bigger and higher on the card. */
static void name_over_its_role(void **state) {
    (void)state;
    static const char *const dump =
        "0.61 492,120,384,53\t& Tavaiizo de Neve\n0.80 864,79,554,94\t183 da Capital de São Paulo\n"
        "0.75 662,219,590,48\tEmancipação e Procurações\n0.96 670,345,168,47\t(Guina)\n"
        "0.81 483,399,526,48\tAguinaldo M:Righetti Jr.\n0.70 588,461,347,28\tEscrevente Autonzado\n"
        "0.94 151,615,1160,47\tRua 15 de Novembro, 193 - 1° andar - Centro - CEP 01013-001\n"
        "0.87 255,714,952,42\tCel.: I: 11 99884-8929 e-mail: guina@8tabeliao.not.br\n";
    json_t *o = parse_dump(dump, "BR");
    assert_string_equal(str(o, "name"), "Aguinaldo M. Righetti Jr");
    assert_string_equal(str(o, "title"), "Escrevente Autorizado");
    json_decref(o);
}

/* Roles in Portuguese and Spanish, a role noun and what qualifies it, are
 * titles and never names, also with a word misread; an initial's dot read
 * as a colon inside a name. */
static void roles_of_romance_languages(void **state) {
    (void)state;
    static const char *const ROLES[] = {"Escrevente Autorizado", "Sócio Fundador", "Vendedor Externo",
                                        "Engenheiro Civil",      "Abogado Asociado", "Agente Autorizado",
                                        "Contador Responsável"};
    for (size_t i = 0; i < sizeof ROLES / sizeof ROLES[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "%s\n", ROLES[i]);
        json_t *o = parse_text(text, "BR");
        assert_string_equal(str(o, "name"), "");
        assert_string_equal(str(o, "title"), ROLES[i]);
        json_decref(o);
    }
    /* the role with a slip under a name that reads poorly */
    json_t *o = parse_text("(Guina)\nEscrevente Autonzado\nRua 15 de Novembro, 193 - Centro - CEP 01013-001\n", "BR");
    assert_string_equal(str(o, "name"), "");
    assert_string_equal(str(o, "title"), "Escrevente Autorizado");
    json_decref(o);
    /* a given name that is a title word stays a name */
    o = parse_text("Junior Santos\nGerente\n", "BR");
    assert_string_equal(str(o, "name"), "Junior Santos");
    json_decref(o);
    /* the initial's dot read as a colon; a mobile's label at a line's start is none */
    o = parse_text("Aguinalde M: Righetti Jr.\nEscrevente Autorizado\nM: 99884-8929\n", "BR");
    assert_string_equal(str(o, "name"), "Aguinalde M. Righetti Jr");
    /* no area code on the card: kept as printed, a mobile by its label */
    const json_t *ph = json_array_get(json_object_get(o, "phones"), 0);
    assert_string_equal(json_string_value(json_object_get(ph, "number")), "99884-8929");
    assert_string_equal(json_string_value(json_object_get(ph, "type")), "mobile");
    json_decref(o);
    o = parse_text("Aguinalde M:Righetti Jr.\nEscrevente Autorizado\n", "BR");
    assert_string_equal(str(o, "name"), "Aguinalde M. Righetti Jr");
    json_decref(o);
}

static void area_code_from_the_state(void **state) {
    (void)state;
    /* no number has an area code, the address names the state: its capital's, never confident */
    json_t *o = parse_text("optica da jo\n@ 3569-6905\nAv. Itaquera, 2994 - Jd. Fernandes - SP\n"
                           "© 97038-8110\n",
                           "BR");
    assert_true(has_phone(o, "+551135696905"));
    assert_true(has_phone(o, "+5511970388110"));
    assert_false(confident(o, "phones"));
    json_decref(o);
    o = parse_text("Tel 2541-3300\nRua das Flores, 12 - Centro/RJ\n", "BR");
    assert_true(has_phone(o, "+552125413300"));
    json_decref(o);
    /* a speck read as a dot between the dash and the state */
    o = parse_text("Rua Pinhal, 283 - CEP: 03564-040 Sao Paulo -.SP.\nPabx: 2131-3400 Fax:2131-3418\n", "BR");
    assert_true(has_phone(o, "+551121313400"));
    assert_true(has_phone(o, "+551121313418"));
    json_decref(o);
    /* a lone digit beside a number is an icon's or a speck's: dropped */
    o = parse_text("Fone (11) 2294-9484\n© 97038-8110 4\ncam 1 9.8697-6934\n", "BR");
    assert_true(has_phone(o, "+5511970388110"));
    assert_true(has_phone(o, "+5511986976934"));
    json_decref(o);
    /* a postcode is not a number, even with an area code to give it */
    o = parse_text("Rua X, 12 - CEP 21941-901 - RJ\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 0);
    json_decref(o);
    /* a state's letters without digits on the line, or another country:
     * no area code guessed; the number is kept as printed, never confident */
    o = parse_text("Tel 3569-6905\nVendas - SP\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 1);
    assert_true(has_phone(o, "3569-6905"));
    assert_false(confident(o, "phones"));
    json_decref(o);
    o = parse_text("Tel 3569-6905\nMain St 12 - PA\n", "US");
    /* not made a US number (3569-6905 has no US shape): only as printed */
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 1);
    assert_true(has_phone(o, "3569-6905"));
    json_decref(o);
}

/* A line with a number's digits that gave no number (a mobile OCR
 * garbled): the numbers found may not be all, so they are not confident;
 * the same card without that line is. */
static void unread_number_makes_phones_unsure(void **state) {
    (void)state;
    json_t *o = parse_text("Le Thu Trang\n(028) 3823 6137\nHo Chi Minh City, Vietnam\n", "US");
    assert_true(has_phone(o, "+842838236137"));
    assert_true(confident(o, "phones"));
    json_decref(o);
    o = parse_text("Le Thu Trang\n(028) 3823 6137\n090 3)1'231076\nHo Chi Minh City, Vietnam\n", "US");
    assert_true(has_phone(o, "+842838236137"));
    assert_false(confident(o, "phones"));
    json_decref(o);
    /* a number printed as a phone that made none, beside one that did: a
     * digit lost ("+813 400 5705" of +81 3 5400 5705), the end under a
     * finger ("0475 1270" of 0475 12 70 42) */
    static const char *const lost[][2] = {
        {"Kenji Yamamoto\n+813 400 5705 | +81 90 1234 2817\n", "+819012342817"},
        {"Lotte Peeters\n09 223 67 08 | 0475 1270\nKerkstraat 58, 2000 Antwerpen\n", "+3292236708"},
    };
    for (size_t i = 0; i < sizeof lost / sizeof *lost; i++) {
        o = parse_text(lost[i][0], i ? "BE" : "JP");
        assert_true(has_phone(o, lost[i][1]));
        assert_false(confident(o, "phones"));
        json_decref(o);
    }
    o = parse_text("Lotte Peeters\n09 223 67 08 | 0475 12 70 42\nKerkstraat 58, 2000 Antwerpen\n", "BE");
    assert_true(has_phone(o, "+32475127042"));
    assert_true(confident(o, "phones"));
    json_decref(o);
    /* seven digits in groups alone on a line, an icon's debris before them
     * (09 223 26 22 read "QS 223 28 22"): a number lost too */
    o = parse_text("Wouter Janssens\nQS 223 28 22\n0475 12 4874\nStationslaan 5, 9000 Gent\n", "BE");
    assert_true(has_phone(o, "+32475124874"));
    assert_false(confident(o, "phones"));
    json_decref(o);
    o = parse_text("Wouter Janssens\n0475 12 4874\nStationslaan 5, 9000 Gent\n", "BE");
    assert_true(confident(o, "phones"));
    json_decref(o);
}

/* A card that prints no area code and names no state: its local numbers are
 * kept as printed (national form, for the person to complete), never
 * confident; only the shape of a local number, never a ZIP+4 after a state,
 * a postcode or a date. */
static void local_numbers_without_area_code(void **state) {
    (void)state;
    json_t *o = parse_text("Eletronica Adachi Ltda.\n2294-9484\n9.9679-9468\n", "BR");
    assert_true(has_phone(o, "2294-9484"));
    assert_true(has_phone(o, "9.9679-9468"));
    assert_false(confident(o, "phones"));
    json_decref(o);
    /* one number with an area code: the others take it, nothing as printed */
    o = parse_text("Acme\n(11) 3333-4444\n2294-9484\n", "BR");
    assert_true(has_phone(o, "+551122949484"));
    assert_false(has_phone(o, "2294-9484"));
    json_decref(o);
    o = parse_text("Anna Smith\nAcme Inc\n1200 Main St\nDallas, TX 75001-1234\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 0);
    json_decref(o);
    o = parse_text("Rua X, 12\nCEP 01137-000\nAberto 2024-01-15\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 0);
    json_decref(o);
}

static void numbers_on_an_email_line(void **state) {
    (void)state;
    json_t *o = parse_text("Sao Paulo SP Tel: 11°3241-0322\nCel.: 11 99884-8929 e-mail: guina@8tabeliao.not.br\n"
                           "E-mail; sonaocasa@bol.com:br\n",
                           "BR");
    assert_true(has_phone(o, "+551132410322"));
    assert_true(has_phone(o, "+5511998848929"));
    json_t *e = json_object_get(o, "emails");
    assert_int_equal(json_array_size(e), 2);
    assert_string_equal(json_string_value(json_array_get(e, 0)), "guina@8tabeliao.not.br");
    assert_string_equal(json_string_value(json_array_get(e, 1)), "sonaocasa@bol.com.br");
    json_decref(o);
}

static void confident_flags(void **state) {
    (void)state;
    json_t *o = parse_text("Renan Beato\nrbeato@alertasecurity.com.br\n", "BR");
    json_t *c = json_object_get(o, "confident");
    assert_true(json_is_object(c));
    assert_true(json_is_false(json_object_get(c, "title")));   /* empty: never confident */
    assert_true(json_is_false(json_object_get(c, "address"))); /* never calibrated to 97 % */
    assert_true(json_is_boolean(json_object_get(c, "name")));
    /* a QR code's fields are confident */
    json_t *qr = json_pack("{s:s, s:[s]}", "company", "Alerta Security Solutions", "emails", "rbeato@alertasecurity.com.br");
    ocr_fields_merge_qr(o, qr);
    c = json_object_get(o, "confident");
    assert_true(json_is_true(json_object_get(c, "company")));
    assert_true(json_is_true(json_object_get(c, "emails")));
    json_decref(qr);
    json_decref(o);
    /* the same sure title line with a person's name over it is confident;
     * on a card with no name (the trade, the service offered) it is not */
    o = parse_dump("0.96 120,40,500,40\tRenan Beato\n0.96 120,90,500,30\tGerente de Negócios\n"
                   "0.96 120,200,700,30\trbeato@alertasecurity.com.br\n", "BR");
    assert_string_equal(str(o, "title"), "Gerente de Negócios");
    assert_true(confident(o, "title"));
    json_decref(o);
    o = parse_dump("0.96 120,40,700,40\tCEASTEC S/C LTDA.\n0.96 120,90,700,30\tASSISTÊNCIA TÉCNICA EM GERAL\n"
                   "0.96 120,200,500,30\tFone 2651-9589\n", "BR");
    assert_string_equal(str(o, "name"), "");
    assert_false(confident(o, "title"));
    json_decref(o);
}

/* The lines `greeter cards text` prints parse back with their confidence
 * and box; a plain line (even one with a tab or leading number) stays text. */
static void lines_from_text_dump(void **state) {
    (void)state;
    const char *dump = "0.93 120,48,610,31\tAnna Lindqvist\n"
                       "0.41 -3,90,77,20\tLs Ls\n"
                       "12 Main St\n"
                       "0.5 1,2,3\tno box\n"
                       "0.88 120,140,400,22\t\n";
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_from_dump(&ls, dump, strlen(dump)), GR_OK);
    assert_int_equal(ls.n, 4); /* the last line is empty */
    assert_string_equal(ls.v[0].text, "Anna Lindqvist");
    assert_true(ls.v[0].conf > 0.92f && ls.v[0].conf < 0.94f);
    assert_int_equal(ls.v[0].x, 120);
    assert_int_equal(ls.v[0].y, 48);
    assert_int_equal(ls.v[0].w, 610);
    assert_int_equal(ls.v[0].h, 31);
    assert_int_equal(ls.v[1].x, -3);
    assert_string_equal(ls.v[2].text, "12 Main St");
    assert_true(ls.v[2].conf < 0);
    assert_int_equal(ls.v[2].h, 0);
    assert_string_equal(ls.v[3].text, "0.5 1,2,3\tno box");
    ocr_lines_free(&ls);
}

/* Lines that say when the business is open, or only what it does, are
 * neither the person nor the company; a lone '«' is a bullet, not a
 * guillemet around a company's name; a bare "x.yy" made of two words is
 * no site, and a country code cut off after ".com" is put back. */
static void hours_trades_bullets_and_sites(void **state) {
    (void)state;
    /* the big line is the opening hours (am23, sideways): no company line
     * (the e-mail beside the trade names it: brand_beside_trade_line) */
    ln_t hours[] = {{"RESTAURANTE", 50}, {"Segunda a Sábado", 60}, {"11:30 às 15:00", 40},
                    {"Av. Cangaiba, 2341", 30}, {"dimariorestaurante@gmail.com", 30}, {NULL, 0}};
    json_t *o = parse_lines(hours, "BR");
    assert_string_equal(str(o, "company"), "Dimario");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    o = parse_text("Mon-Fri 9:00-18:00\nKeller Bau GmbH\n", "DE");
    assert_string_equal(str(o, "company"), "Keller Bau GmbH");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    o = parse_text("Sat 9am - 1pm\nAnna Roy\n", "US");
    assert_string_equal(str(o, "name"), "Anna Roy");
    json_decref(o);
    /* one day word is also a given name */
    o = parse_text("Domingo Pérez\nGerente\nd.perez@acme.es\n", "ES");
    assert_string_equal(str(o, "name"), "Domingo Pérez");
    json_decref(o);
    /* the trade alone is not the company, even when the domain holds it
     * (the rest of the domain's label is: brand_beside_trade_line) */
    o = parse_text("AUTO PEÇAS\ncontato@autopecasdominio.com.br\n", "BR");
    assert_string_equal(str(o, "company"), "Dominio");
    json_decref(o);
    o = parse_text("Dominio Auto Peças Ltda\ncontato@autopecasdominio.com.br\n", "BR");
    assert_string_equal(str(o, "company"), "Dominio Auto Peças Ltda");
    json_decref(o);
    /* a bullet read as '«' before a store's address (am06) */
    o = parse_text("Lojas: « Av. Rio das Pedras, 1553 - Tel/Fax:\ncontato@autopecasdominio.com.br\n", "BR");
    assert_string_equal(str(o, "company"), "");
    json_decref(o);
    o = parse_text("ООО «Ромашка»\nИван Петров\n", "RU");
    assert_string_equal(str(o, "company"), "ООО «Ромашка»");
    json_decref(o);
    /* "Av. do Cursino" misread "Ay. do": no site ay.do */
    o = parse_text("« Ay. do Cursino, 2283 - Tel/Fax: 2966-2550\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    /* a letter lost in a platform's name (am07) leaves no site "ve.com" */
    o = parse_text("cargocollect ve.com/nagdesign\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    o = parse_text("visit ip.ru\n", "RU");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)), "ip.ru");
    json_decref(o);
    /* an e-mail whose '@' and one letter of its domain were misread, beside
     * the site: the e-mail on the site's domain */
    o = parse_text("Emily Carter\ne.carteronorthwindiabs.com\nwww.northwindlabs.com\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)),
                        "e.carter@northwindlabs.com");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    json_decref(o);
    /* a short domain needs the exact match: two sites stay two sites */
    o = parse_text("shopoacme.io\nwww.acne.io\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    /* a webmail's domain glued to the name by the '@' read as a letter */
    o = parse_text("Ricardo Nogueira\nricknog39mgmail.com\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "ricknog39@gmail.com");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    /* ... but a site that ends like a short webmail name stays a site */
    o = parse_text("Anna Roy\ngolive.com\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    json_decref(o);
    /* a scheme OCR mangled is written out again (sample 042: "hitps:/") */
    o = parse_text("James Flynn\nW: hitps:/toddsantos.com\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)), "https://toddsantos.com");
    json_decref(o);
    o = parse_text("Anna Roy\nhtp://acme.com/shop\n", "US");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)), "http://acme.com/shop");
    json_decref(o);
    /* a word that is no scheme is left alone */
    o = parse_text("Anna Roy\nhello:/acme\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    /* a quote after a name is debris */
    o = parse_text("Christopher Snyder'\nEngineer\nchristopher@thompson.com\n", "US");
    assert_string_equal(str(o, "name"), "Christopher Snyder");
    json_decref(o);
    /* the dot before the country code read as a quote (am16) */
    o = parse_text("nog design\nwww.nogdesign.blogspot.com\u2019 br\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)),
                        "www.nogdesign.blogspot.com.br");
    json_decref(o);
    o = parse_text("www.acme.com br\n", "US");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)), "www.acme.com.br");
    json_decref(o);
    /* a word after the site is not a country code */
    o = parse_text("www.acme.com is our site\n", "US");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)), "www.acme.com");
    json_decref(o);
}

/* Numbers printed the North American way ("(410)555-1234", "817-228-4401")
 * are +1 on a board set to another country when the card names none;
 * other plans keep theirs. */
static void north_american_number_shape(void **state) {
    (void)state;
    json_t *o = parse_text("Mike Smith\n(410)555-1234\nmsmith@asymmetrik.com\n", "BR");
    assert_true(has_phone(o, "+14105551234"));
    json_decref(o);
    o = parse_text("Daniel Whitton\nCel: 817-228-4401\n", "BR");
    assert_true(has_phone(o, "+18172284401"));
    json_decref(o);
    /* Brazil brackets two digits: stays Brazilian */
    o = parse_text("Daniel Carlos\n(11) 2076-5555\n", "BR");
    assert_true(has_phone(o, "+551120765555"));
    json_decref(o);
    /* three groups split by spaces alone: an Italian mobile on an Italian board */
    o = parse_text("Mario Rossi\n347 123 4567\nmario@gmail.com\n", "IT");
    assert_true(has_phone(o, "+393471234567"));
    json_decref(o);
    /* a country domain still comes first */
    o = parse_text("Renan Beato\nFone (11) 3105-8655\nrbeato@alerta.com.br\n", "US");
    assert_true(has_phone(o, "+551131058655"));
    json_decref(o);
}

/* A line that spells the card's own domain is the company, over a line
 * with a bare mark ("&", "Group") that is a division. */
static void domain_over_bare_mark(void **state) {
    (void)state;
    const ln_t v[] = {{"Arthur Wilson", 30},
                      {"Software Engineer", 30},
                      {"Decision & Security Technologies", 30},
                      {"ABC Technologies", 30},
                      {"awilson@abctech.com", 30},
                      {NULL, 0}};
    json_t *o = parse_lines(v, "US");
    assert_string_equal(str(o, "company"), "ABC Technologies");
    assert_string_equal(str(o, "name"), "Arthur Wilson");
    json_decref(o);
    /* a brand on two lines keeps the mark that follows what the domain spells */
    const ln_t w[] = {{"PINNACLE", 30},
                      {"REAL ESTATE GROUP", 18},
                      {"MICHAEL J. RODRIGUEZ", 34},
                      {"C 512.555.0123", 18},
                      {"mrodriguez@pinnaclerealestate.com", 18},
                      {NULL, 0}};
    o = parse_lines(w, "US");
    assert_string_equal(str(o, "company"), "PINNACLE REAL ESTATE GROUP");
    assert_string_equal(str(o, "name"), "MICHAEL J. RODRIGUEZ");
    json_decref(o);
    /* a legal form written before the name (Indonesian PT) is no part of
     * the domain the name makes: the e-mail is left as read */
    o = parse_text("PT Sinar Nusantara Teknik\nBudi Santoso\nManajer Pemasaran\nbudi.santoso@sinarnusantara.co.id\n",
                   "ID");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)),
                        "budi.santoso@sinarnusantara.co.id");
    assert_string_equal(str(o, "company"), "PT Sinar Nusantara Teknik");
    json_decref(o);
}

/* Addresses of more countries: a US street line with 12 digits in all,
 * Brazilian "Av.", Japanese wards and postcodes, Korean roads; the
 * company above the street stays the company. */
static void addresses_of_more_countries(void **state) {
    (void)state;
    json_t *o = parse_text("Emily Carter\n1200 Market St, Suite 300, San Francisco, CA 94103\nemily@bluewave.co\n", "US");
    assert_string_equal(str(o, "address"), "1200 Market St, Suite 300, San Francisco, CA 94103");
    json_decref(o);
    o = parse_text("Carlos Souza\nAv. Paulista, 1000 - Bela Vista - São Paulo - SP\n", "BR");
    assert_string_equal(str(o, "address"), "Av. Paulista, 1000 - Bela Vista - São Paulo - SP");
    json_decref(o);
    /* a label before the address and a phone label left at its end are not the address */
    o = parse_text("Lojas: \xC2\xAB Av. Rio das Pedras, 1553 - Tel/Fax:\n", "BR");
    assert_string_equal(str(o, "address"), "Av. Rio das Pedras, 1553");
    json_decref(o);
    o = parse_text("Daniel Whitton\nAddress: 19994 Bruno Rd, Justin, TX 76247\n", "US");
    assert_string_equal(str(o, "address"), "19994 Bruno Rd, Justin, TX 76247");
    json_decref(o);
    /* a street's leading type without its number (Corso Buenos | Aires 148
     * in two boxes, the name unread on its panel) is no name; a family
     * name that is such a word stays a name */
    o = parse_text("Orion Foods Srl\nCorso Buenos\n20123 Milano\nFinancial Analyst\n", "IT");
    assert_string_equal(str(o, "name"), "");
    assert_string_equal(str(o, "address"), "Corso Buenos, 20123 Milano");
    json_decref(o);
    o = parse_text("Orion Foods Srl\nGregory Corso\nFinancial Analyst\n", "IT");
    assert_string_equal(str(o, "name"), "Gregory Corso");
    json_decref(o);
    /* a colon after a word that labels no address stays; so does a last word that is no phone label */
    o = parse_text("Carlos Souza\nRua X, 12 - CEP: 01310-100 - SP\n", "BR");
    assert_string_equal(str(o, "address"), "Rua X, 12 - CEP: 01310-100 - SP");
    json_decref(o);
    o = parse_text("Carlos Souza\nCEP: 01310-100 - Av. Paulista, 1000 - Sala:\n", "BR");
    assert_string_equal(str(o, "address"), "CEP: 01310-100 - Av. Paulista, 1000 - Sala:");
    json_decref(o);
    o = parse_text("Yuki Tanaka\n2-3-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005\n", "JP");
    assert_string_equal(str(o, "address"), "2-3-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005");
    json_decref(o);
    o = parse_text("Kim Min-jun\n123 Teheran-ro, Gangnam-gu, Seoul\n", "KR");
    assert_string_equal(str(o, "address"), "123 Teheran-ro, Gangnam-gu, Seoul");
    json_decref(o);
    static const char *const more[][3] = {
        /* Polish and Portuguese postcodes before the town, the Polish street word */
        {"Anna Kowalska\nul. Marszałkowska 100\n00-026 Warszawa\n", "PL", "ul. Marszałkowska 100, 00-026 Warszawa"},
        {"João Silva\nAv. da Liberdade, 110\n1250-096 Lisboa\n", "PT", "Av. da Liberdade, 110, 1250-096 Lisboa"},
        /* a department under the city is none of it; a unit with its number is */
        {"Anna Berg\nKungsgatan 12\n111 43 Stockholm\nSales Department\n", "SE", "Kungsgatan 12, 111 43 Stockholm"},
        {"Tom Reed\n12 High Street\nUnit 4B\nLeeds LS1 4AB\n", "GB", "12 High Street, Unit 4B, Leeds LS1 4AB"},
        /* places down to a country, with a number: an address without a postcode; without a number,
         * a tagline */
        {"NGUYEN VAN AN\nSales Director\nLot D26, Cau Giay New Urban Area, Hanoi, Vietnam\n", "US",
         "Lot D26, Cau Giay New Urban Area, Hanoi, Vietnam"},
        {"Emily Zhang\nOffices in London, Paris, Singapore\n", "US", ""},
        /* a Czech or Swedish postcode in two groups before the town */
        {"Petr Novák\nVinohradská 1233/22\n120 00 Praha 2\n", "CZ", "Vinohradská 1233/22, 120 00 Praha 2"},
        /* a Mexican street's Pte. (Poniente) is no legal form that ends the address */
        {"María López Garza\nAv. Constitución 2050 Pte., Col. Centro\n64000 Monterrey, N.L., México\n", "MX",
         "Av. Constitución 2050 Pte., Col. Centro, 64000 Monterrey, N.L., México"},
    };
    addresses_read_as(more, sizeof more / sizeof *more);
    /* a phone number is no address, however it is written */
    o = parse_text("Ana Lima\nPlaza 1234 5678 901\n", "US");
    assert_string_equal(str(o, "address"), "");
    json_decref(o);
    const ln_t v[] = {{"Nguyen Van An", 46},
                      {"Director", 26},
                      {"Saigon Green Energy JSC", 40},
                      {"45 Le Duan, District 1, Ho Chi Minh City, Vietnam", 24},
                      {"an.nguyen@saigongreen.vn", 24},
                      {NULL, 0}};
    o = parse_lines(v, "VN");
    assert_string_equal(str(o, "company"), "Saigon Green Energy JSC");
    assert_string_equal(str(o, "address"), "45 Le Duan, District 1, Ho Chi Minh City, Vietnam");
    json_decref(o);
    /* a company line begun on the line above, which ends in "of" */
    o = parse_text("THE LAW OFFICES OF\nDAVID M. ROSENBERG, P.C.\nDavid M. Rosenberg\nAttorney at Law\n"
                   "drosenberg@rosenberglaw.com\n",
                   "US");
    assert_string_equal(str(o, "company"), "THE LAW OFFICES OF DAVID M. ROSENBERG, P.C.");
    assert_string_equal(str(o, "name"), "David M. Rosenberg");
    json_decref(o);
    /* the company over the Mexican street is the company, not the street */
    o = parse_text("Grupo Alimentos del Norte S.A. de C.V.\nLic. María Fernanda López Garza\nDirectora de Compras\n"
                   "Av. Constitución 2050 Pte., Col. Centro\n64000 Monterrey, N.L., México\n",
                   "MX");
    assert_string_equal(str(o, "company"), "Grupo Alimentos del Norte S.A. de C.V.");
    json_decref(o);
    /* a short legal form and no number: the company, right-aligned over the street */
    o = parse_dump("0.96 122,127,415,64\tLotte Maes\n0.96 126,194,556,48\tSenior Software Engineer\n"
                   "0.91 131,322,341,41\t+32 9 223 42 64\n0.92 132,426,362,43\twww.crestline.be\n"
                   "0.97 1013,647,654,61\tCrestline Engineering SA\n0.93 1320,723,349,42\tStationslaan 100\n"
                   "0.96 1455,774,215,36\t9000 Gent\n",
                   "BE");
    assert_string_equal(str(o, "company"), "Crestline Engineering SA");
    assert_string_equal(str(o, "address"), "Stationslaan 100, 9000 Gent");
    json_decref(o);
    /* a department right over the street is no part of the address */
    o = parse_text("Takeshi Yamamoto\nGeneral Manager\nPlant Engineering Department\n"
                   "3-1, Marunouchi 2-chome, Chiyoda-ku, Tokyo 100-8086, Japan\n",
                   "JP");
    assert_string_equal(str(o, "address"), "3-1, Marunouchi 2-chome, Chiyoda-ku, Tokyo 100-8086, Japan");
    assert_non_null(strstr(str(o, "title"), "General Manager"));
    json_decref(o);
    /* an address printed over the name: the person the e-mail names is no
     * city line; the Portuguese role keeps its spelling (not "Commercial") */
    o = parse_text("Rua Augusta, 1500 - Consolação\nSão Paulo - SP, 01304-001\nFernanda Costa Oliveira\n"
                   "Gerente Comercial\nTech Brasil Soluções Ltda.\nfernanda@techbrasil.com.br\n",
                   "BR");
    assert_string_equal(str(o, "address"), "Rua Augusta, 1500 - Consolação, São Paulo - SP, 01304-001");
    assert_string_equal(str(o, "name"), "Fernanda Costa Oliveira");
    assert_string_equal(str(o, "title"), "Gerente Comercial");
    json_decref(o);
}

/* A role and its department on two lines under the name are one title, in
 * either order; a line of another kind is not taken in. */
static void title_on_two_lines(void **state) {
    (void)state;
    const ln_t v[] = {{"Sakura Trading Co., Ltd.", 40},
                      {"Yuki Tanaka", 46},
                      {"Sales Department", 26},
                      {"Assistant Manager", 26},
                      {"y.tanaka@sakura-trading.co.jp", 24},
                      {NULL, 0}};
    json_t *o = parse_lines(v, "JP");
    assert_string_equal(str(o, "title"), "Sales Department, Assistant Manager");
    json_decref(o);
    const ln_t w[] = {{"Hiroshi Yamamoto", 32},
                      {"General Manager", 20},
                      {"International Business Division", 20},
                      {"yamamoto.h@nkogaku.co.jp", 20},
                      {NULL, 0}};
    o = parse_lines(w, "JP");
    assert_string_equal(str(o, "title"), "General Manager, International Business Division");
    json_decref(o);
    /* boxes of one print size differ by descenders (28 and 40 px) */
    o = parse_dump("0.96 610,308,328,62\tLiam Taylor\n0.97 533,390,477,28\tInternational Business Division\n"
                   "0.96 588,431,365,40\tHead of Partnerships\n0.95 600,549,339,42\tTel: (02) 9876 5591\n",
                   "AU");
    assert_string_equal(str(o, "title"), "International Business Division, Head of Partnerships");
    json_decref(o);
    /* two roles are not joined: the second line is no unit */
    const ln_t x[] = {{"Anna Berg", 32}, {"Partner", 20}, {"Berg Consulting AB", 20}, {NULL, 0}};
    o = parse_lines(x, "SE");
    assert_string_equal(str(o, "title"), "Partner");
    json_decref(o);
}

/* OCR slips on small print that the card's other fields undo: a capital I
 * read as l ("Kavita lyer"), a number boxed in two overlapping pieces
 * ("T +33 1 42" + "68 53 18"), an e-mail's dot read as a space ("thimai
 * pham@orion.vn", joined back only when the name agrees), and a city line
 * that names the country continuing the address. */
static void small_print_slips(void **state) {
    (void)state;
    json_t *o = parse_dump("0.92 535,202,249,50\tKavita lyer\n0.97 530,267,261,32\tMarketing Director\n"
                           "0.91 379,410,562,36\tkavita@granite.in\n",
                           "IN");
    assert_string_equal(str(o, "name"), "Kavita Iyer");
    assert_string_equal(str(o, "title"), "Marketing Director");
    json_decref(o);
    o = parse_text("Jörg Keller\nlNDUSTRIETECHNIK lnfotech GmbH\nalles klar\n", "DE");
    assert_string_equal(str(o, "company"), "INDUSTRIETECHNIK Infotech GmbH");
    json_decref(o);
    o = parse_dump("0.96 522,218,336,50\tHugo Moreau\n0.95 522,380,274,27\tT +33 1 42\n"
                   "0.95 709,376,139,45\t68 53 18\n0.86 357,421,661,35\thugo@meridian.fr\n",
                   "US");
    assert_true(has_phone(o, "+33142685318"));
    json_decref(o);
    /* two whole numbers side by side stay two */
    o = parse_dump("0.96 100,100,300,40\tAna Lima\n0.95 100,200,300,30\t(11) 3456-7890\n"
                   "0.95 420,200,300,30\t(11) 98765-4321\n",
                   "BR");
    assert_true(has_phone(o, "+551134567890"));
    assert_true(has_phone(o, "+5511987654321"));
    json_decref(o);
    o = parse_text("PHAM THI MAI\nE thimai pham@orion.vn\n", "VN");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "thimai.pham@orion.vn");
    json_decref(o);
    o = parse_text("Lee Wei Ming\nE weiming lee@crestline.com.sg\n", "SG");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "weiming.lee@crestline.com.sg");
    json_decref(o);
    /* the word before a letter off two of the name's words run together,
     * or with one of their letters dropped; an e-mail label's E glued on
     * (a 640 x 480 photo, hand-held) */
    static const char *const runs[][3] = {
        {"Maria Jose Romero\nEmail matiajose romero@redwood.es\n", "ES", "mariajose.romero@redwood.es"},
        {"Ji-hoon Jung\njhoon jung@aster.co.kr\n", "KR", "jihoon.jung@aster.co.kr"},
        {"Weiming Tan\nEweiming tan@falcon.com.sg\n", "SG", "weiming.tan@falcon.com.sg"},
        /* a word two letters off stays out */
        {"Maria Jose Romero\nEmail matlajase romero@redwood.es\n", "ES", "romero@redwood.es"},
        /* the dot read as a colon (a small photo); a label's "email:" is no name */
        {"Amelia Natarajan\namelia:natarajan@cobaltrobotics.co.uk\n", "GB", "amelia.natarajan@cobaltrobotics.co.uk"},
        {"Amelia Natarajan\nemail:natarajan@cobaltrobotics.co.uk\n", "GB", "natarajan@cobaltrobotics.co.uk"},
        /* the given name read with its capital: the name's own word only */
        {"Oliver Natarajan\nOliver natarajan@crestline.co.uk\n", "GB", "oliver.natarajan@crestline.co.uk"},
        {"Elena Romano\nElena romano@nordvik.it\n", "IT", "elena.romano@nordvik.it"},
        {"Paul Romano\nElena romano@nordvik.it\n", "IT", "romano@nordvik.it"},
        {"Oliver Natarajan\nOlivar natarajan@crestline.co.uk\n", "GB", "natarajan@crestline.co.uk"},
        {"Oliver Natarajan\nEmail natarajan@crestline.co.uk\n", "GB", "natarajan@crestline.co.uk"},
        /* the given name that lost its first letter to the label's colon */
        {"Lucas Girard\nEmail: ucas@vantage.fr\n", "FR", "lucas@vantage.fr"},
        {"Lucas Girard\nEmail: cas@vantage.fr\n", "FR", "cas@vantage.fr"},
        {"Lucas Girard\nEmail: lcas@vantage.fr\n", "FR", "lcas@vantage.fr"},
    };
    emails_read_as(runs, sizeof runs / sizeof *runs);
    /* a local part the name mends is a guess, not confident
     * ("ganssens@" was sjanssens@); one read as the name spells it is */
    o = parse_text("Sophie Janssens\nganssens@solacemedia.be\n", "BE");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "janssens@solacemedia.be");
    assert_false(confident(o, "emails"));
    json_decref(o);
    o = parse_text("Sophie Janssens\njanssens@solacemedia.be\n", "BE");
    assert_true(confident(o, "emails"));
    json_decref(o);
    /* a word that is not the name's stays out */
    o = parse_text("Lotte Janssens\nmail me janssens@orion.be\n", "BE");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "janssens@orion.be");
    json_decref(o);
    /* a capital alone before the name is a logo's edge, not an initial (which has its dot) */
    o = parse_text("J Brian Miller\nManaging Director\nb.miller@kestrel.com\n", "US");
    assert_string_equal(str(o, "name"), "Brian Miller");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "b.miller@kestrel.com");
    json_decref(o);
    o = parse_text("J. Brian Miller\nManaging Director\nb.miller@kestrel.com\n", "US");
    assert_string_equal(str(o, "name"), "J. Brian Miller");
    json_decref(o);
    /* an initial and its dot before the family name, the j read as a bar,
     * or its dot read as a space; not another person's initial, nor one
     * before the given name, nor a capital label */
    static const char *const ini[][3] = {{"Jonas Weber\nEmail: |. weber@weber-sohn.de\n", "DE", "j.weber@weber-sohn.de"},
                                         {"Anna Weber\nEmail: |. weber@weber-sohn.de\n", "DE", "weber@weber-sohn.de"},
                                         {"Jonas Weber\nEmail: |. jonas@weber-sohn.de\n", "DE", "jonas@weber-sohn.de"},
                                         /* the dot read as a space: the initial as read, lower case */
                                         {"Francesca Romano\nEmail. f romano@nordvik.it\n", "IT",
                                          "f.romano@nordvik.it"},
                                         {"Paolo Romano\nEmail. f romano@nordvik.it\n", "IT", "romano@nordvik.it"},
                                         {"Elena Romano\nE romano@nordvik.it\n", "IT", "romano@nordvik.it"},
                                         {"Elena Romano\nMail: e elena@nordvik.it\n", "IT", "elena@nordvik.it"},
                                         /* the label's E glued on the initial; the l's
                                          * stroke read as a backslash */
                                         {"Chloé Martin\nEc martin@juniperlogistics.fr\n", "FR",
                                          "c.martin@juniperlogistics.fr"},
                                         {"Paul Martin\nEc martin@juniperlogistics.fr\n", "FR",
                                          "martin@juniperlogistics.fr"},
                                         {"Lukas Krüger\nt \\.kruger@granite.de\n", "DE", "l.kruger@granite.de"}};
    emails_read_as(ini, sizeof ini / sizeof *ini);
    /* a label's E glued on the local part: dropped when the rest is one of
     * the name's local parts and the whole is none */
    static const char *const glued[][3] = {{"Müge Schäfer\nEmuge@falcon.de\n", "DE", "muge@falcon.de"},
                                           {"Ana Lima\nEana.lima@bluewave.com.br\n", "BR", "ana.lima@bluewave.com.br"},
                                           {"Eva Muller\nEmuller@falcon.de\n", "DE", "emuller@falcon.de"},
                                           {"Ana Lima\nEvendas@bluewave.com.br\n", "BR", "evendas@bluewave.com.br"}};
    emails_read_as(glued, sizeof glued / sizeof *glued);
    /* capitals read small come back when the e-mail holds the words; a
     * line of a role's words is never the name */
    o = parse_dump("0.89 627,86,651,45\tPinnacle Trading Pte. Ltd.\n0.75 625,225,556,35\tjunjie@pinnacletrading.com.sg\n"
                   "0.95 137,261,304,52\tLee jun jie\n0.96 139,331,292,32\tManaging Director\n",
                   "SG");
    assert_string_equal(str(o, "name"), "Lee Jun Jie");
    assert_string_equal(str(o, "title"), "Managing Director");
    json_decref(o);
    o = parse_text("Managing Director\nPinnacle Trading Pte. Ltd.\n", "SG");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    o = parse_text("Michael Head\nSales Manager\n", "US"); /* a surname that is a title word */
    assert_string_equal(str(o, "name"), "Michael Head");
    json_decref(o);
    /* a title word with one letter misread is written out again; other words stay */
    o = parse_text("Anna Berg\nAccount Lxecutive\n", "SE");
    assert_string_equal(str(o, "title"), "Account Executive");
    json_decref(o);
    o = parse_text("Anna Berg\nResearch officer\n", "GB");
    assert_string_equal(str(o, "title"), "Research officer");
    json_decref(o);
    o = parse_text("Ana Lima\nINGENIERA DE PROYECTOS\n", "ES");
    assert_string_equal(str(o, "title"), "INGENIERA DE PROYECTOS");
    json_decref(o);
    /* a site cut short where the e-mail is whole: its head, its country code */
    o = parse_text("Lee Jun Jie\njunjie@pinnacletrading.com.sg\nwww |\netrading.com.sg\n", "SG");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)), "pinnacletrading.com.sg");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    json_decref(o);
    o = parse_text("Joao Lima\nEmail joao@crestline.com.br\nWeb: www.crestline.com\n", "BR");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 0)), "www.crestline.com.br");
    json_decref(o);
    /* a site of a public suffix alone (".com.br") has no name: no site, and no
     * read before the host (fuzz_ocr_fields found the pointer run off its
     * start; the UBSan build aborts here without the check) */
    o = parse_text("Joao Lima\nWeb: .com.br\nhttp://.com.br\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    /* a logo block's edge in front of the company, a comma read as a dot */
    o = parse_text("Charlotte Natarajan\nIl Tidewater Foods PLC\n", "GB");
    assert_string_equal(str(o, "company"), "Tidewater Foods PLC");
    json_decref(o);
    /* a logo's speck glued on as small letters; eBay and iRobot keep theirs */
    o = parse_text("Jorge Adachi\noEletronica ADACHI Ltda\n", "BR");
    assert_string_equal(str(o, "company"), "Eletronica ADACHI Ltda");
    json_decref(o);
    o = parse_text("Jorge Adachi\nfoEletrônica ADACHI Ltda\n", "BR");
    assert_string_equal(str(o, "company"), "Eletrônica ADACHI Ltda");
    json_decref(o);
    o = parse_text("Anna Berg\neBay Marketplaces GmbH\n", "DE");
    assert_string_equal(str(o, "company"), "eBay Marketplaces GmbH");
    json_decref(o);
    o = parse_text("Anna Berg\niRobot Corporation Inc.\n", "US");
    assert_string_equal(str(o, "company"), "iRobot Corporation Inc");
    json_decref(o);
    o = parse_text("Ji-woo Park\nNordvik Design Co.. Ltd\n", "KR");
    assert_string_equal(str(o, "company"), "Nordvik Design Co., Ltd");
    json_decref(o);
    /* a bracket that closes nothing is a frame's edge; a pair stays */
    o = parse_text("Siti Rahman\nMeridian Logistics Pte Ltd)\nsrahman@meridianlogistics.com.sg\n", "SG");
    assert_string_equal(str(o, "company"), "Meridian Logistics Pte Ltd");
    json_decref(o);
    o = parse_text("Siti Rahman\nMeridian Logistics (Brasil)\nsrahman@meridianlogistics.com.sg\n", "SG");
    assert_string_equal(str(o, "company"), "Meridian Logistics (Brasil)");
    json_decref(o);
    o = parse_text("Anna Berg\nI Love Pizza Ltd\n", "GB");
    assert_string_equal(str(o, "company"), "I Love Pizza Ltd");
    json_decref(o);
    /* a speck read as a backslash after the legal form hid it */
    o = parse_text("Joana Lima\nLima Auto Peças Ltda\\\nTel (11) 2131-3418\n", "BR");
    assert_string_equal(str(o, "company"), "Lima Auto Peças Ltda");
    json_decref(o);
    const ln_t v[] = {{"PHAM THI MAI", 50},
                      {"150 Hai Ba Trung, District 5", 37},
                      {"Ho Chi Minh City, Vietnam", 37},
                      {NULL, 0}};
    o = parse_lines(v, "VN");
    assert_string_equal(str(o, "address"), "150 Hai Ba Trung, District 5, Ho Chi Minh City, Vietnam");
    json_decref(o);
}

/* Slips of hand-held photos (ocr_cards2 hand-held renders): an apostrophe
 * inside a number, an area code whose bracket and first digit were lost,
 * a country code misread in one digit behind a '*', and an e-mail whose
 * '@' became an 'O' after a space. Each only where the card supports it. */
static void slips_in_numbers_and_mail(void **state) {
    (void)state;
    json_t *o = parse_text("Jack Smith\nTel: +61 2 9876 5915\nMobile: +61 412'345 453\n", "AU");
    assert_true(has_phone(o, "+61412345453"));
    json_decref(o);
    o = parse_text("Joao Oliveira\n1) 3828-6098\n+55 11 92028-0336\njoao@crestline.com.br\n", "BR");
    assert_true(has_phone(o, "+551138286098"));
    assert_true(has_phone(o, "+5511920280336"));
    json_decref(o);
    /* the digits before ')' must end the card's area code (11, not 21) */
    o = parse_text("Joao Oliveira\n2) 3828-6098\n+55 11 92028-0336\n", "BR");
    assert_false(has_phone(o, "+551138286098"));
    json_decref(o);
    o = parse_text("Lee Wei Ming\nM *63/9123/) 3760\nE weiming.lee@crestline.com.sg\n", "US");
    assert_true(has_phone(o, "+6591233760"));
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 1);
    json_decref(o);
    /* a bracket read for the 1 of a country code, a space after it */
    o = parse_text("Takashi Sato\nT +8] 3 5400 6221\n", "US");
    assert_true(has_phone(o, "+81354006221"));
    json_decref(o);
    /* without a '+' or its misreading, 63 is not a country code */
    o = parse_text("Lee Wei Ming\nM 63/9123/) 3760\nE weiming.lee@crestline.com.sg\n", "US");
    assert_false(has_phone(o, "+6591233760"));
    json_decref(o);
    o = parse_text("Rahman Wei Ming\nwrahman Onordvik.com.sg\nnordvik.com.sg\n", "SG");
    json_t *em = json_object_get(o, "emails"), *ws = json_object_get(o, "websites");
    assert_int_equal(json_array_size(em), 1);
    assert_string_equal(json_string_value(json_array_get(em, 0)), "wrahman@nordvik.com.sg");
    assert_int_equal(json_array_size(ws), 1);
    assert_string_equal(json_string_value(json_array_get(ws, 0)), "nordvik.com.sg");
    json_decref(o);
    /* a small l read as '!' inside a line of words; a line's last '!' stays */
    o = parse_text("Danie! Whitton\nManaging Director\ndaniel@dfw.com\n", "US");
    assert_string_equal(str(o, "name"), "Daniel Whitton");
    json_decref(o);
    const ln_t bang[] = {{"Seo-yeon Park", 50}, {"Internationa! Business Division", 22}, {"Welcome!", 20}, {NULL, 0}};
    o = parse_lines(bang, "KR");
    assert_string_equal(str(o, "title"), "International Business Division");
    json_decref(o);
    /* a four-letter local part one letter off the given name; three letters are too few */
    static const char *const four[][3] = {
        {"João Oliveira\nSales Manager\nEmail joso@crestline.com.br\n", "BR", "joao@crestline.com.br"},
        {"Ana Souza\nSales Manager\nEmail anx@crestline.com.br\n", "BR", "anx@crestline.com.br"},
        /* a name printed family name first: its initial before the other */
        {"Lee Kumar\nOperations Director\nEmail: kiee@bluewavesystems.com.sg\n", "SG", "klee@bluewavesystems.com.sg"},
        {"Park Jihoon\nSales Manager\nE jpork@evergreen.co.kr\n", "KR", "jpark@evergreen.co.kr"},
        /* three words or more printed family name first: the first word
         * the family name, the others the given names */
        {"Rahman Wei Ming\nSales Manager\nveiming.rahman@granite.com.sg\n", "SG", "weiming.rahman@granite.com.sg"},
        {"Nguyen Van An\nSales Manager\nvan.nguyen@juniper.vn\n", "VN", "van.nguyen@juniper.vn"},
        /* a letter dropped is no slip of theirs: the first given name alone */
        {"Fernanda Costa Ribeiro\nDentista\nfernanda@sorriso.com.br\n", "BR", "fernanda@sorriso.com.br"},
        /* a small l and its dot read as an L or as "|_" before the family
         * name, when the given name starts with an l; not otherwise */
        {"Liam Smith\nLsmith@vantage.com.au\n", "AU", "l.smith@vantage.com.au"},
        {"Lucas Bernard\nEmoit: |_bernord@bernard-conseil.fr\n", "FR", "l.bernard@bernard-conseil.fr"},
        {"Liam Smith\nlsmith@vantage.com.au\n", "AU", "lsmith@vantage.com.au"},
        {"Liam Smith\nLondon@vantage.com.au\n", "AU", "london@vantage.com.au"},
        /* a letter more is no slip: a middle name's initial (mcreyes@ of
         * Maria Cristina Reyes) */
        {"Maria Cristina Reyes\nmcreyes@pacificbayfoods.com.ph\n", "PH", "mcreyes@pacificbayfoods.com.ph"},
        /* the word before a dot read as a space, one letter off the given
         * name of five letters or more; another word stays out */
        {"Élodie Lefèvre\nclodie lefevre @kestrellogistics.fr\n", "FR", "elodie.lefevre@kestrellogistics.fr"},
        {"Élodie Lefèvre\nhello lefevre@kestrellogistics.fr\n", "FR", "lefevre@kestrellogistics.fr"},
        /* a company key's extra last letter is no letter the domain lost */
        {"Tomasz Kowalczyk\nPolmet Sp. z o.o.\nt.kowalczyk@polmet.pl\n", "PL", "t.kowalczyk@polmet.pl"}};
    emails_read_as(four, sizeof four / sizeof *four);
    /* a local part that is the end of a name's word, and no word of it
     * ("worth@" of Charlotte Ashworth, its start lost): less sure */
    {
        json_t *a = parse_text("Charlotte Ashworth\nashworth@harbour.co.uk\nHarbour LLP\n", "GB");
        json_t *b = parse_text("Charlotte Ashworth\nworth@harbour.co.uk\nHarbour LLP\n", "GB");
        double ca = confidence(a, "emails");
        double cb = confidence(b, "emails");
        assert_true(ca > 0.5);
        assert_true(cb < 0.85 * ca);
        json_decref(a);
        json_decref(b);
    }
    /* words that are not a label before it: no e-mail made up */
    o = parse_text("Rahman Wei Ming\nVisit us Onordvik.com.sg\nnordvik.com.sg\n", "SG");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    /* any letter for the '@' ("s" of pjanssens sjuniper.be) */
    o = parse_text("Pieter Janssens\npjanssens sjuniper.be\nwww juniper.be\n", "BE");
    em = json_object_get(o, "emails");
    assert_int_equal(json_array_size(em), 1);
    assert_string_equal(json_string_value(json_array_get(em, 0)), "pjanssens@juniper.be");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    json_decref(o);
    /* the '@' read as a space: after an e-mail label only, on the site's domain (one letter off) */
    o = parse_text("Hanna Weber\nE hweber  biuewave.de\nW www.bivewave.de\n", "DE");
    em = json_object_get(o, "emails");
    assert_int_equal(json_array_size(em), 1);
    /* (then one spelling of the domain for both: the site's) */
    assert_string_equal(json_string_value(json_array_get(em, 0)), "hweber@bivewave.de");
    json_decref(o);
    o = parse_text("Hanna Weber\nhweber  biuewave.de\nW www.bivewave.de\n", "DE");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
}

/* Each line of cases[k][0], under a name and above an e-mail, reads as
 * the title cases[k][1]. */
static void titles_read_as(const char *const (*cases)[2], size_t n) {
    for (size_t i = 0; i < n; i++) {
        char text[128];
        snprintf(text, sizeof text, "Anna Berg\n%s\nanna@berg.se\n", cases[i][0]);
        json_t *o = parse_text(text, "SE");
        assert_string_equal(str(o, "title"), cases[i][1]);
        json_decref(o);
    }
}

/* The title: a unit alone under the name gives way to the role line and
 * joins it; a garbled number line under the name is no title; "Lid"
 * after a legal form is "Ltd", "S.r.I" is "S.r.l", and Australia's "Pty"
 * is a legal form. */
static void title_role_unit_and_ltd(void **state) {
    (void)state;
    const ln_t v[] = {{"Seo-yeon Park", 50},
                      {"International Business Division", 22},
                      {"Managing Director", 37},
                      {"seoyeon@granite.co.kr", 29},
                      {NULL, 0}};
    json_t *o = parse_lines(v, "KR");
    assert_string_equal(str(o, "title"), "International Business Division, Managing Director");
    json_decref(o);
    const ln_t w[] = {{"Hugo Dubois", 50}, {"4 Tet: G1 42 68 63 39", 40}, {"Managing Director", 30}, {NULL, 0}};
    o = parse_lines(w, "FR");
    assert_string_equal(str(o, "title"), "Managing Director");
    json_decref(o);
    /* a title word with a letter more or less (two slips from seven letters) */
    static const char *const tw[][2] = {{"Managing Dwector", "Managing Director"}, {"Sales Manger", "Sales Manager"},
                                        /* the nearest: Director one edit off, Polish Dyrektor two */
                                        {"Managing Drector", "Managing Director"},
                                        {"Markting Director", "Marketing Director"},
                                        {"Research Analyst", "Research Analyst"},
                                        {"Senior Consultants", "Senior Consultants"},
                                        /* its first letters lost at a glare's edge */
                                        {"nancial Analyst", "Financial Analyst"},
                                        {"ncial Analyst", "ncial Analyst"},
                                        /* the last word's last letter lost at a crop's edge;
                                         * not in a word that is no title's last */
                                        {"Business Development Manage", "Business Development Manager"},
                                        {"Creative Directo", "Creative Director"},
                                        /* German roles written as one word are title words */
                                        {"Projektmanogerin", "Projektmanagerin"},
                                        /* a real word of another language one letter off an
                                         * English one is no slip of it */
                                        {"Manajer Pemasaran", "Manajer Pemasaran"},
                                        {"Specjalista ds. Sprzedaży", "Specjalista ds. Sprzedaży"},
                                        {"Dyrektor Handlowy", "Dyrektor Handlowy"},
                                        /* words titles hold as they are, a letter off an English
                                         * one: not Operations, not project */
                                        {"Chief Operating Officer", "Chief Operating Officer"},
                                        {"Chief Operatlng Officer", "Chief Operating Officer"},
                                        {"Chef de projet", "Chef de projet"},
                                        {"Jefe de proyecto", "Jefe de proyecto"},
                                        /* the i of Chief lost: Chef in an English title ending
                                         * in Officer; Chef elsewhere is a title word */
                                        {"Chef Executive Officer", "Chief Executive Officer"},
                                        {"CHEF FINANCIAL OFFICER", "CHIEF FINANCIAL OFFICER"},
                                        {"Sous Chef", "Sous Chef"}};
    titles_read_as(tw, sizeof tw / sizeof *tw);
    /* a character no title's word holds: a misread, for the person to check */
    o = parse_text("Anna Berg\nChief Executive Officer\nanna@nordvik.se\n", "SE");
    double sure = confidence(o, "title");
    json_decref(o);
    o = parse_text("Anna Berg\n\\el Executive Officer\nanna@nordvik.se\n", "SE");
    assert_string_equal(str(o, "title"), "\\el Executive Officer");
    assert_true(confidence(o, "title") < 0.9 * sure);
    json_decref(o);
    /* "Lid" after a legal form, after words the card's domain spells (read
     * with i for l), with a stray mark after it; a capital I or a 1 for the
     * l of a legal form ending the line */
    static const char *const lf[][3] = {
        {"Noah Anderson\nMeridian Consulting Pty. Lid\n", "AU", "Meridian Consulting Pty. Ltd"},
        {"Oliver Grant\nGrant Logistics Lid\no.grant@grantiogistics.co.uk\n", "GB", "Grant Logistics Ltd"},
        {"Chloe Anderson\nJuniper Pty Lid J\ncanderson@juniper.com.au\n", "AU", "Juniper Pty Ltd"},
        {"Marco Rossi\nOrion Media S.r.I\nmarco@orion.it\n", "IT", "Orion Media S.r.l"},
        {"Lucia Perez\nTalleres Ebro S.I.\nlucia@ebro.es\n", "ES", "Talleres Ebro S.L."},
        {"Luca Bianchi\nEvergreen Systems S.r.1.\nluca@evergreen.it\n", "IT", "Evergreen Systems S.r.l."},
        /* a '!' for an I or an l, with no dot; one that makes no form stays */
        {"Rafael Ferreira\nTidewater Analytics EIREL!\nr.ferreira@tidewater.com.br\n", "BR",
         "Tidewater Analytics EIRELI"},
        {"Rafael Ferreira\nTidewater Analytics Ltda!\nr.ferreira@tidewater.com.br\n", "BR",
         "Tidewater Analytics Ltda!"},
        /* K.K. that lost its dots, on a Japanese card only */
        {"Naoko Tanaka\nFalcon K K\nn.tanaka@falcon.co.jp\n", "US", "Falcon K.K."},
        {"Naoko Tanaka\nFalcon K K\nn.tanaka@falcon.de\n", "US", "Falcon K K"},
        /* or all but the last (round 35, a held-out render 8317, photo 025,
         * whose company had been taken for the name) */
        {"Vantage KK.\nTakashi Suzuki\nSales Manager\nt.suzuki@vantage.co.jp\n", "US", "Vantage K.K."},
        {"Vantage KK\nTakashi Suzuki\nSales Manager\n+81 3 5400 9740\n", "US", "Vantage K.K."}};
    for (size_t i = 0; i < sizeof lf / sizeof *lf; i++) {
        o = parse_text(lf[i][0], lf[i][1]);
        assert_string_equal(str(o, "company"), lf[i][2]);
        json_decref(o);
    }
    o = parse_text("PRIYA SRI\nSales Manager\npriya@acme.in\n", "IN");
    assert_string_equal(str(o, "name"), "PRIYA SRI");
    json_decref(o);
    o = parse_text("Noah Anderson\nMeridian Consulting Pty\n", "AU"); /* its Ltd put back (round 32) */
    assert_string_equal(str(o, "company"), "Meridian Consulting Pty Ltd");
    json_decref(o);
    o = parse_text("Noah Anderson\nThe Flip Lid\nSydney NSW 2000\n", "AU");
    assert_true(strcmp(str(o, "company"), "The Flip Ltd") != 0);
    json_decref(o);
    o = parse_text("Noah Anderson\nThe Flip Lid\nnoah@acme.com.au\n", "AU");
    assert_true(strcmp(str(o, "company"), "The Flip Ltd") != 0);
    json_decref(o);
}

static const char *first_site(const json_t *o) {
    const char *s = json_string_value(json_array_get(json_object_get(o, "websites"), 0));
    return s ? s : "(none)";
}

/* text, parsed for region, gives the e-mail mail and the site site first. */
static void mail_and_site_read_as(const char *text, const char *region, const char *mail, const char *site) {
    json_t *o = parse_text(text, region);
    assert_string_equal(first_mail(o), mail);
    assert_string_equal(first_site(o), site);
    json_decref(o);
}

/* The text cases[k][0], parsed for region cases[k][1], gives the site
 * cases[k][2] first. */
static void sites_read_as(const char *const (*cases)[3], size_t n) {
    for (size_t i = 0; i < n; i++) {
        json_t *o = parse_text(cases[i][0], cases[i][1]);
        assert_string_equal(first_site(o), cases[i][2]);
        json_decref(o);
    }
}

/* What a shadow's edge or a label leaves on a read field (ocr_cards2
 * renders with OCR_CARDS2_SHADOW): an e-mail label glued on by its colon
 * read as a dot is dropped; a local part of one or two characters, often
 * the end of a longer one, and a company cut after the first word of a
 * two-word legal form are not marked confident; a bracket after the
 * company is a speck. */
static void fields_a_shadow_cuts(void **state) {
    (void)state;
    json_t *o = parse_text("Pablo Sanchez\nemail.p.sanchez@cobaltmedia.es\n", "ES");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "p.sanchez@cobaltmedia.es");
    json_decref(o);
    o = parse_text("Eva de Vries\nes@vantage.nl\n", "NL");
    assert_false(confident(o, "emails"));
    json_decref(o);
    o = parse_text("Eva de Vries\nedevries@vantage.nl\n", "NL");
    assert_true(confident(o, "emails"));
    json_decref(o);
    o = parse_text("Tom Hill\nBluewave Pte Ltd]\ntom@bluewave.com.sg\n", "SG");
    assert_string_equal(str(o, "company"), "Bluewave Pte Ltd");
    json_decref(o);
    o = parse_text("Tom Hill\nSilverleaf Pty\ntom@silverleaf.com.au\n", "AU"); /* Ltd put back, a guess */
    assert_string_equal(str(o, "company"), "Silverleaf Pty Ltd");
    double cut = confidence(o, "company");
    json_decref(o);
    o = parse_text("Tom Hill\nSilverleaf Pty Ltd\ntom@silverleaf.com.au\n", "AU");
    assert_true(cut < confidence(o, "company"));
    json_decref(o);
    /* a two-letter form cut to its first letter (round 35, a held-out
     * hand-held render 7207, photo 000): never marked sure, where the
     * whole form is */
    static const char *const forms[] = {"B", "BV"};
    for (int i = 0; i < 2; i++) {
        char dump[200];
        snprintf(dump, sizeof dump,
                 "0.97 100,60,400,60\tSolace %s\n0.97 100,200,300,40\tDaan Bakker\n0.97 100,300,400,30\tdaan@solace.nl\n",
                 forms[i]);
        o = parse_dump(dump, "NL");
        assert_true(!strncmp(str(o, "company"), "Solace B", 8));
        assert_int_equal(confident(o, "company"), i == 1);
        json_decref(o);
    }
}

/* A shop named after its trade and its owners on two lines of one type
 * (cards_real am03): the two lines are the company, and no person is
 * named. Not when the owners' line is in another case, is one person's
 * name, or follows no trade. */
static void trade_and_owners_line(void **state) {
    (void)state;
    const ln_t v[] = {{"MECÂNICA, FUNILARIA E PINTURA", 60},
                      {"FLÁVIO E VALDEQUE", 55},
                      {"Pequenos Consertos em Parachoque", 30},
                      {"Rua Antonio Carneiro Leao, n° 36", 25},
                      {NULL, 0}};
    json_t *o = parse_lines(v, "BR");
    assert_string_equal(str(o, "company"), "MECÂNICA, FUNILARIA E PINTURA FLÁVIO E VALDEQUE");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    const ln_t w[] = {{"MECÂNICA, FUNILARIA E PINTURA", 60}, {"Flávio e Valdeque", 55}, {"Rua Antonio 36", 25}, {NULL, 0}};
    o = parse_lines(w, "BR");
    assert_true(strstr(str(o, "company"), "FUNILARIA E PINTURA Fl") == NULL);
    json_decref(o);
    const ln_t x[] = {{"MECÂNICA, FUNILARIA E PINTURA", 60}, {"FLÁVIO VALDEQUE", 55}, {"Rua Antonio 36", 25}, {NULL, 0}};
    o = parse_lines(x, "BR");
    assert_true(strstr(str(o, "company"), "PINTURA FLÁVIO") == NULL);
    json_decref(o);
    const ln_t y[] = {{"BOA VISTA", 60}, {"FLÁVIO E VALDEQUE", 55}, {"Rua Antonio 36", 25}, {NULL, 0}};
    o = parse_lines(y, "BR");
    assert_true(strstr(str(o, "company"), "VISTA FLÁVIO") == NULL);
    json_decref(o);
}

/* A shop named after its trade and its owner (cards_real am11: "AUTO
 * SOCORRO" on a band over "R. OLIVEIRA"): the trade line and the name
 * below it are the company, the name stays the person's, and the company
 * is not marked confident; a trade line that is not right above the
 * name, smaller than it, or in another case, is not joined to it. */
static void trade_over_owner_name(void **state) {
    (void)state;
    const ln_t v[] = {{"AUTO SOCORRO", 90}, {"R. OLIVEIRA", 70}, {"Aceitamos os cartões", 40},
                      {"Nextel 9.4000-4561", 40}, {"11 9.8697-6934", 40}, {NULL, 0}};
    json_t *o = parse_lines(v, "BR");
    assert_string_equal(str(o, "company"), "AUTO SOCORRO R. OLIVEIRA");
    assert_string_equal(str(o, "name"), "R. OLIVEIRA");
    assert_false(confident(o, "company"));
    json_decref(o);
    const ln_t w[] = {{"AUTO SOCORRO", 50}, {"R. OLIVEIRA", 70}, {"11 9.8697-6934", 40}, {NULL, 0}};
    o = parse_lines(w, "BR");
    assert_null(strstr(str(o, "company"), "SOCORRO R."));
    json_decref(o);
    const ln_t x[] = {{"AUTO SOCORRO", 90}, {"R. Oliveira", 70}, {"11 9.8697-6934", 40}, {NULL, 0}};
    o = parse_lines(x, "BR");
    assert_null(strstr(str(o, "company"), "SOCORRO R."));
    json_decref(o);
    const ln_t y[] = {{"AUTO SOCORRO", 90}, {"24 HORAS", 50}, {"R. OLIVEIRA", 70}, {"11 9.8697-6934", 40}, {NULL, 0}};
    o = parse_lines(y, "BR");
    assert_null(strstr(str(o, "company"), "R. OLIVEIRA"));
    json_decref(o);
}

/* The company and the name parsed from a `cards text` dump. */
static void people_from_dump(const char *dump, const char *region, const char *company, const char *name) {
    json_t *o = parse_dump(dump, region);
    assert_string_equal(str(o, "company"), company);
    if (name) assert_string_equal(str(o, "name"), name);
    json_decref(o);
}

/* The card schemes a shop takes, as their logos read ("VISA VISA baum",
 * cards_real am11 at JPEG q95), are no company: the trade over the
 * owner's name is; a scheme word among more words stays ("Visa Consulting
 * Ltd", "Elo Salmi" a name). */
static void card_schemes_no_company(void **state) {
    (void)state;
    people_from_dump("0.92 517,167,525,71\tR. OLIVEIRA\n"
                     "0.88 877,311,454,66\tAceitamos os cartoes\n"
                     "0.62 1067,369,407,103\tVISA VISA baum\n"
                     "0.93 53,684,590,45\tNextel 9.4000-4561\n"
                     "0.85 886,724,604,46\tcum 11 9.8697-6934\n"
                     "0.92 0,48,1542,91\tAUTO SOCORRO\n"
                     "0.93 911,441,73,28\tdebito\n",
                     "BR", "AUTO SOCORRO R. OLIVEIRA", "R. OLIVEIRA");
    people_from_dump("0.95 40,40,700,90\tVisa Consulting Ltd\n"
                     "0.95 40,200,400,50\tElo Salmi\n"
                     "0.95 40,300,400,40\tSales Manager\n"
                     "0.95 40,400,500,40\telo.salmi@visaconsulting.fi\n",
                     "FI", "Visa Consulting Ltd", "Elo Salmi");
}

/* The biggest line is no company when it is a slogan ("Aceltamos os",
 * "we accept" misread, cards_real am13) or a row of logos holding a card
 * scheme's ("\"VISA"): better none than those. */
static void dominant_line_not_slogan(void **state) {
    (void)state;
    people_from_dump("0.64 1162,419,612,121\tAceltamos os —\n"
                     "0.57 937,495,180,116\tiss\n"
                     "0.61 1115,496,246,124\tSS\n"
                     "0.71 1374,494,385,97\t\"VISA | VISA\n"
                     "0.83 26,923,801,64\tNextel 9.4000-4561\n"
                     "0.90 132,1016,700,65\tID. 35*65*43262\n"
                     "0.62 1155,979,836,64\tcam 11 9.8697-6934\n"
                     "0.86 682,231,694,88\tR. OLIVEIRA\n",
                     "BR", "", "R. OLIVEIRA");
}

/* A trade's words run together in display type ("AUTOSOCORRO", am11 at
 * 97 %) are still the trade over the owner's name, written apart; a brand
 * glued of other words is left alone. */
static void glued_trade_words(void **state) {
    (void)state;
    const char *rows = "0.92 517,167,525,71\tR. OLIVEIRA\n0.93 53,684,590,45\tNextel 9.4000-4561\n";
    char dump[256];
    snprintf(dump, sizeof dump, "0.97 83,57,1428,79\tAUTOSOCORRO\n%s", rows);
    people_from_dump(dump, "BR", "AUTO SOCORRO R. OLIVEIRA", NULL);
    snprintf(dump, sizeof dump, "0.97 83,57,1428,79\tAUTOLIDER\n%s", rows);
    json_t *o = parse_dump(dump, "BR");
    assert_null(strstr(str(o, "company"), "AUTO LIDER"));
    json_decref(o);
}

/* No company line: an e-mail's local part at a mail provider, or an own
 * domain's label, that is a printed trade line's words and a name of four
 * letters or more gives that name, never confident (cards_real am23: the
 * logo "Di Mario" lost, "RESTAURANTE" printed). And what must stay. */
static void brand_beside_trade_line(void **state) {
    (void)state;
    static const char *const rows[][3] = {
        {"RESTAURANTE\nSegunda a Sábado\nAv. Cangaiba, 2341\ndimariorestaurante@gmail.com\n", "BR", "Dimario"},
        /* the trade first, an own domain */
        {"PIZZARIA\nRua Augusta, 100\nwww.pizzariabella.com.br\n", "BR", "Bella"},
        /* too short a name beside it; no trade line; a company line read */
        {"RESTAURANTE\nRua Augusta, 100\nbarrestaurante@gmail.com\n", "BR", ""},
        {"Segunda a Sábado\nRua Augusta, 100\ndimariorestaurante@gmail.com\n", "BR", ""},
        {"Cantina Di Mario Ltda\nRESTAURANTE\ndimariorestaurante@gmail.com\n", "BR", "Cantina Di Mario Ltda"}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        json_t *o = parse_text(rows[i][0], rows[i][1]);
        assert_string_equal(str(o, "company"), rows[i][2]);
        if (i < 2) {
            assert_true(confidence(o, "company") < 0.9);
            assert_false(confident(o, "company"));
        }
        json_decref(o);
    }
}

/* Pages on a platform (cards_real am07): the platform's name one letter
 * off is respelled; the page's own name before the platform's host, their
 * dot read as a space, is its subdomain; a page's name one letter off
 * where two other fields spell it is mended. And what must stay. */
static void platform_pages(void **state) {
    (void)state;
    static const char *const sites[][3] = {
        {"Ricardo Nogueira\nnog carconmade.com\n", "BR", "nog.carbonmade.com"},
        {"Ricardo Nogueira\ncargocollectlve.com/nogdesign\n", "BR", "cargocollective.com/nogdesign"},
        {"Ana Lima\nana.wordpres.com\n", "BR", "ana.wordpress.com"},
        /* a label, a capitalised word or a platform without subdomains: no subdomain */
        {"Ricardo Nogueira\nsite carbonmade.com\n", "BR", "carbonmade.com"},
        {"Ricardo Nogueira\nAnna carbonmade.com\n", "BR", "carbonmade.com"},
        {"Ricardo Nogueira\nnog behance.net\n", "BR", "behance.net"},
        /* a short name one letter off a platform's is a name of its own */
        {"Ana Lima\nwww.tumbler.com\n", "BR", "www.tumbler.com"},
    };
    sites_read_as(sites, sizeof sites / sizeof *sites);
    json_t *o = parse_text("Ricardo Nogueira\ncargocollective.com/nagdesign\nnog carconmade.com\nricknog39@gmail.com\n", "BR");
    assert_string_equal(first_site(o), "cargocollective.com/nogdesign");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "websites"), 1)), "nog.carbonmade.com");
    json_decref(o);
    /* spelled by one other field only: left as read */
    o = parse_text("Ricardo Nogueira\ncargocollective.com/nagdesign\nnog carconmade.com\nrick39@gmail.com\n", "BR");
    assert_string_equal(first_site(o), "cargocollective.com/nagdesign");
    json_decref(o);
}

/* Web lines of hand-held photos mended from the card's other fields: a
 * site with spaces for its dots and a misread www, from the e-mail's
 * domain; a site cut short behind a lone "W" label; a site with its head
 * lost, or three letters misread (two of them i for l), from the
 * company. And what must stay. */
static void sites_mended_from_the_card(void **state) {
    (void)state;
    json_t *o = parse_text("Lim Kumar\nkumar@harbourtrading.com.sg\nwWew harbourtrading Com.sg\n", "SG");
    assert_string_equal(first_site(o), "www.harbourtrading.com.sg");
    json_decref(o);
    /* "wwve." with its dot (a small photo): two w's and an e are a www; "menu." is a real label */
    static const char *const wwws[][3] = {
        {"Deepa Sharma\ndeepa.sharma@lumina.in\nwwve.lumina.in\n", "IN", "www.lumina.in"},
        {"Deepa Sharma\ndeepa.sharma@lumina.in\nmenu.lumina.in\n", "IN", "menu.lumina.in"},
        /* the dot after the www read as a dash, or a dash more */
        {"Hyun-woo Lee\nhyunwoo.lee@nordvik.co.kr | www-.nordvik.co.kr\n", "KR", "www.nordvik.co.kr"},
        {"Max Weber\nwrw-graniterobotics.de\n", "DE", "www.graniterobotics.de"},
        {"Max Weber\nwow-graniterobotics.de\n", "DE", "wow-graniterobotics.de"},
        /* the dot before a public second level lost, the company's name
         * before it; a name that runs on ("bluewavecom" of Bluewavecom) stays */
        {"Priya Hughes\ntidewatertradingco.uk\nTidewater Trading Limited\n", "GB", "tidewatertrading.co.uk"},
        {"Ana Lima\nwww.bluewavecom.br\nBluewave Ltda\n", "BR", "www.bluewave.com.br"},
        {"Ana Lima\nwww.bluewavecom.br\nBluewavecom Ltda\n", "BR", "www.bluewavecom.br"},
        {"Priya Nair\nwww.sunin.in\nSun Ltd\n", "IN", "www.sunin.in"},
        /* the firm's own name at a mail provider begins the site, one
         * look-alike letter apart (cards_real am18 at 640 px); a person's
         * name, or a letter no look-alike, leaves the site as read */
        {"liderfrlorefrigeracao.com.br\nE-mail: liderfrio@terra.com.br\n", "BR", "liderfriorefrigeracao.com.br"},
        {"liderfrxorefrigeracao.com.br\nE-mail: liderfrio@terra.com.br\n", "BR", "liderfrxorefrigeracao.com.br"},
        {"www.silvabrasa.com.br\nE-mail: r.silva@terra.com.br\n", "BR", "www.silvabrasa.com.br"},
        /* a w's shape before the domain, its dots read as spaces: a site, not the firm */
        {"Wouter Janssens\nwouter.janssens@falcon.be\nwn Falcon be\n", "BE", "www.falcon.be"},
    };
    sites_read_as(wwws, sizeof wwws / sizeof *wwws);
    o = parse_text("Wouter Janssens\nwouter.janssens@falcon.be\nwn Falcon be\n", "BE");
    assert_string_equal(first_mail(o), "wouter.janssens@falcon.be"); /* not @wnfalcon.be of a "company" */
    assert_string_equal(str(o, "company"), "");
    json_decref(o);
    /* the domain begins with a letter a misread www is made of (a 640 x 480
     * photo): the line is the site, not the company */
    o = parse_text("Giulia Bianchi\ngiulia@vantage it\nwew vantage it\nVantage Srl\n", "IT");
    assert_string_equal(first_site(o), "www.vantage.it");
    assert_string_equal(first_mail(o), "giulia@vantage.it");
    assert_string_equal(str(o, "company"), "Vantage Srl");
    json_decref(o);
    o = parse_text("Takashi Suzuki\nE takashi.suzuki@junipermedia.co.jp\nW junipermedi\n", "JP");
    assert_string_equal(first_site(o), "junipermedia.co.jp");
    json_decref(o);
    const ln_t v[] = {{"Charlotte Natarajan", 50},
                      {"Il Tidewater Foods PLC ||", 40},
                      {"dewaterfoods.co.uk", 30},
                      {"+44 20 7946 0283", 30},
                      {NULL, 0}};
    o = parse_lines(v, "GB");
    assert_string_equal(first_site(o), "tidewaterfoods.co.uk");
    json_decref(o);
    static const char *const sites[][3] = {
        {"Sofia Schulz\nSilverleaf AG\nsiiverieal.de\n", "DE", "silverleaf.de"},
        /* three letters off, only one of them a confusable pair: kept */
        {"Sofia Schulz\nSilverleaf AG\nsolverieaq.de\n", "DE", "solverieaq.de"},
        /* r and i read as one n; a letter lost; two lost is too many */
        {"Wouter Peeters\nMeridian Engineering NV\nwww mendian be\n", "BE", "www.meridian.be"},
        {"Ji-hoon Kim\nMeridian Design Inc\nwww. meriian. co. kr\n", "KR", "www.meridian.co.kr"},
        {"Ji-hoon Kim\nMeridian Design Inc\nwww.merian.co.kr\n", "KR", "www.merian.co.kr"},
    };
    sites_read_as(sites, sizeof sites / sizeof *sites);
    /* an initial W is no web label */
    o = parse_text("W. Smith\nSales Manager\nsmith@smithco.com\n", "US");
    assert_string_equal(str(o, "name"), "W. Smith");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    /* the company spelled like the domain is no site; the site in small letters is */
    o = parse_text("Marco Rossi\nORION IT\nmarco@orion.it\n", "IT");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    assert_string_equal(str(o, "company"), "ORION IT");
    json_decref(o);
    o = parse_text("Marco Rossi\nOrion Media S.r.l\nm.ferrari@orion.it\norion it\n", "IT");
    assert_string_equal(first_site(o), "orion.it");
    json_decref(o);
    /* a word that is not www before the domain: no site made up */
    o = parse_text("Lim Kumar\nkumar@harbourtrading.com.sg\nvisit harbourtrading Com.sg today\n", "SG");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
}

/* One word cut in two boxes that touch, both reading the letters at the
 * cut ("Daniel Car" + "arlos", a small photo): one word; a word apart
 * (a word space) stays apart. */
static void word_cut_in_two_boxes(void **state) {
    (void)state;
    json_t *o = parse_dump("0.93 492,104,246,101\tDaniel Car\n0.91 745,98,102,92\tarlos\n"
                           "0.91 508,389,448,40\tdaniel.silva@beltis.com.br\n",
                           "BR");
    assert_string_equal(str(o, "name"), "Daniel Carlos");
    json_decref(o);
    o = parse_dump("0.93 492,104,246,101\tRua\n0.91 770,98,102,92\tdas Flores 12\n", "BR");
    assert_non_null(strstr(str(o, "address"), "Rua das Flores"));
    json_decref(o);
    /* a box over the whole row holding another line's box: one line */
    o = parse_dump("0.97 51,240,414,36\tPieter\n0.94 183,236,282,48\tVan den Broeck\n"
                   "0.80 562,244,508,34\tE pvandenbroeck@tidewater.be\n",
                   "BE");
    assert_string_equal(str(o, "name"), "Pieter Van den Broeck");
    json_decref(o);
    /* ... unless it is a piece the first box read already */
    o = parse_dump("0.95 100,100,500,40\tAnna Lindqvist\n0.90 300,100,150,40\tLindqvist\n"
                   "0.90 100,200,400,30\tanna@nordvik.se\n",
                   "SE");
    assert_string_equal(str(o, "name"), "Anna Lindqvist");
    json_decref(o);
    /* ... or read it with other marks between ("com br" inside "...com.br") */
    o = parse_dump("0.95 82,80,408,46\tCarlos Almeida\n0.85 82,291,435,30\tE calmeida@harbour.com.br\n"
                   "0.96 414,287,105,43\tcom br\n0.91 81,328,281,29\tW harbour.com.br\n",
                   "BR");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "calmeida@harbour.com.br");
    json_decref(o);
    /* an e-mail cut in its domain, the rest boxed lower and taller with a site after a bar */
    o = parse_dump("0.96 406,260,377,63\tLucas Moreau\n0.95 438,433,295,38\t+33 1 42 68 53 06\n"
                   "0.76 110,458,320,41\tlmoreau@asterlo\n0.92 431,473,619,60\tgistics.fr | www.asterlogistics.fr\n",
                   "FR");
    const char *em = json_string_value(json_array_get(json_object_get(o, "emails"), 0));
    assert_non_null(em);
    assert_string_equal(em, "lmoreau@asterlogistics.fr");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    json_decref(o);
    /* touching boxes that read no letters twice are two words */
    o = parse_dump("0.93 100,104,120,40\t18 rue\n0.91 222,104,300,40\tde la Paix, 75002 Paris\n", "FR");
    assert_non_null(strstr(str(o, "address"), "18 rue de la Paix"));
    json_decref(o);
}

/* Small print that lost its dots: the e-mail's host has none, and the
 * card's country says where its TLD starts. */
static void email_host_without_dots(void **state) {
    (void)state;
    json_t *o = parse_text("Lumina Capital AG\nJörg Hoffmann\nTel +49 89 4521 7749\nEmail jorg@luminacapitalde\n"
                           "Web: www luminacapitalde\n",
                           NULL);
    assert_string_equal(first_mail(o), "jorg@luminacapital.de");
    assert_string_equal(first_site(o), "www.luminacapital.de");
    assert_false(json_is_true(json_object_get(json_object_get(o, "confident"), "emails")));
    json_decref(o);
    /* a second level before the country's code; .com needs no country */
    o = parse_text("Chloe Anderson\n+61 3 9012 3456\nchloe@vantagecomau\n", NULL);
    assert_string_equal(first_mail(o), "chloe@vantage.com.au");
    json_decref(o);
    o = parse_text("Ana Lima\nana@pinnaclecom\n", NULL);
    assert_string_equal(first_mail(o), "ana@pinnacle.com");
    json_decref(o);
    /* a country the card does not name is no TLD; a handle stays a handle */
    o = parse_text("Jean Dupont\nTel +33 1 42 68 53 06\njean@luminacapitalde\n", NULL);
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    o = parse_text("Jörg Hoffmann\nTel +49 89 4521 7749\n@luminacapitalde\n", NULL);
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    /* a host cut short under a glare (round 35, a held-out render 8317,
     * photo 019): the card's site that begins with it completes it, never
     * confident; a cut of three letters, or a site that does not begin
     * with it, completes nothing */
    static const char *const cut[][2] = {{"silverle", "ahoffmann@silverleaftrading.de"}, {"sil", NULL}, {"goldle", NULL}};
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
        char text[160];
        snprintf(text, sizeof text, "Anna Hoffmann\nT 089 4521 7450\nE ahoffmann@%s\nW silverleaftrading.de\n", cut[i][0]);
        o = parse_text(text, "DE");
        if (cut[i][1]) assert_string_equal(first_mail(o), cut[i][1]);
        else assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
        assert_false(confident(o, "emails"));
        json_decref(o);
    }
}

/* Hosts a reading mangled (round 31, ocr_cards2 renders): the host twice
 * with a bar between read as an l ("redwood.com|redwood.com": the e-mail
 * and the site on one line) is the host once; a registrable name of one or
 * two characters ("harb@ur.vn", "e.de": the rest of a host a shadow cut)
 * is kept but not trusted (a mail provider's, bk.ru, is), while a name as
 * short as "hp" is one of few. */
static void mangled_hosts(void **state) {
    (void)state;
    json_t *o = parse_text("Robert Rodriguez\nRedwood Consulting Inc\nrrodriguez@redwood.com|redwood.com\n", "US");
    assert_string_equal(first_mail(o), "rrodriguez@redwood.com");
    assert_true(confident(o, "emails"));
    json_decref(o);
    /* the site run into the e-mail before it, its www. after the TLD
     * (round 35, a held-out hand-held render 7207, photo 014): two items;
     * a www. right after the @ is the host's */
    o = parse_text("Olivia Taylor\no.taylor@meridian.com.auwww.meridian.com.au\n", "AU");
    assert_string_equal(first_mail(o), "o.taylor@meridian.com.au");
    assert_string_equal(first_site(o), "www.meridian.com.au");
    json_decref(o);
    o = parse_text("Olivia Taylor\no.taylor@wwwmeridian.com.au\n", "AU");
    assert_string_equal(first_mail(o), "o.taylor@wwwmeridian.com.au");
    json_decref(o);
    o = parse_text("Pham Thu Trang\nOperations Director\nharb@ur.vn\nwww.e.de\n", "VN");
    assert_string_equal(first_mail(o), "harb@ur.vn");
    assert_false(confident(o, "emails"));
    assert_false(confident(o, "websites"));
    assert_true(confidence(o, "emails") < 0.5 && confidence(o, "websites") < 0.5);
    json_decref(o);
    /* nothing between (round 32) */
    o = parse_text("Hanna Becker\nh.becker@bluewave.debluewave.de\n", "DE");
    assert_string_equal(first_mail(o), "h.becker@bluewave.de");
    json_decref(o);
    o = parse_text("Ivan Petrov\nivan.petrov@bk.ru\n", "RU"); /* a mail provider's */
    assert_true(confidence(o, "emails") >= 0.8);
    json_decref(o);
    o = parse_text("Pham Thu Trang\nOperations Director\nthutrang@harbour.vn\nwww.harbour.vn\n", "VN");
    assert_true(confident(o, "emails"));
    assert_true(confidence(o, "emails") >= 0.8 && confidence(o, "websites") >= 0.8);
    json_decref(o);
}

/* Round 32: the name and an e-mail's local part that miss each other by
 * a letter or two hold a misreading on the side read less surely, which
 * is then not marked confident; a local part that is one of the name's
 * forms, or none at all (sales@), leaves both as they were. A country's
 * code one letter off the numbers' country (".co.ky" beside Korean
 * numbers) is doubted too; a worldwide one (.io) is not. */
static const char *disagree_card(const char *name, const char *local, double nc, double ec, char *buf, size_t n) {
    snprintf(buf, n, "%.2f 40,10,400,40\t%s\n0.97 40,60,300,24\tSales Manager\n0.97 40,90,300,24\t+49 30 1234 5678\n%.2f 40,120,400,24\t%s@solacemedia.de\n",
             nc, name, ec, local);
    return buf;
}

static void name_and_local_disagree(void **state) {
    (void)state;
    char buf[512];
    /* read alike: the e-mail is doubted, the name stays sure */
    static const char *const DOUBT_MAIL[][2] = {
        {"Sofia Becker", "sofa"},                            /* a letter lost */
        {"María José Fernández Ruiz", "m.femandezruiz"},     /* rn read as m */
        {"Lucía Fernández Ruiz", "eifernandezruiz"},         /* l read as ei */
    };
    for (size_t i = 0; i < sizeof DOUBT_MAIL / sizeof *DOUBT_MAIL; i++) {
        json_t *o = parse_dump(disagree_card(DOUBT_MAIL[i][0], DOUBT_MAIL[i][1], 0.97, 0.97, buf, sizeof buf), "DE");
        char want[128];
        snprintf(want, sizeof want, "%s@solacemedia.de", DOUBT_MAIL[i][1]);
        assert_string_equal(first_mail(o), want);
        assert_false(confident(o, "emails"));
        assert_true(confident(o, "name"));
        json_decref(o);
    }
    /* the e-mail read surer: the name is doubted ("RAN MINH DUC", its T lost) */
    json_t *o = parse_dump(disagree_card("RAN MINH DUC", "mtran", 0.92, 0.98, buf, sizeof buf), "DE");
    assert_string_equal(str(o, "name"), "RAN MINH DUC");
    assert_false(confident(o, "name"));
    assert_true(confident(o, "emails"));
    json_decref(o);
    /* agreeing, or saying nothing of the name: both sure */
    static const char *const AGREE[][2] = {
        {"Sofia Becker", "sofia"},
        {"Sofia Becker", "s.becker"},
        {"Lucía Fernández Ruiz", "lfernandezruiz"},
        {"Rosmarie Mälzer", "rosmarie.maelzer"}, /* an umlaut written out */
        {"Sofia Becker", "sales"},
        {"Sofia Becker", "info"},
    };
    for (size_t i = 0; i < sizeof AGREE / sizeof *AGREE; i++) {
        o = parse_dump(disagree_card(AGREE[i][0], AGREE[i][1], 0.97, 0.97, buf, sizeof buf), "DE");
        assert_true(confident(o, "emails"));
        assert_true(confident(o, "name"));
        json_decref(o);
    }
    /* the country's code of the e-mail and the site against the numbers' */
    static const char *const TLD[][2] = {{"co.ky", "0"}, {"co.kr", "1"}, {"io", "1"}};
    for (size_t i = 0; i < sizeof TLD / sizeof *TLD; i++) {
        snprintf(buf, sizeof buf, "0.97 40,10,400,40\tMinjun Choi\n0.97 40,90,300,24\t+82 2 555 6839\n"
                                  "0.97 40,120,400,24\tminjun.choi@nordvik.%s\n0.97 40,150,400,24\twww.nordvik.%s\n",
                 TLD[i][0], TLD[i][0]);
        o = parse_dump(buf, "KR");
        int sure = TLD[i][1][0] == '1';
        assert_int_equal(confident(o, "emails"), sure);
        assert_int_equal(confident(o, "websites"), sure);
        json_decref(o);
    }
}

/* Round 32 (cards_real am10 at 640 px): after an e-mail label, a "site"
 * on a short mail provider's domain with a letter for its '@'
 * ("E-mail: sonaoeasaibol.com:. br") is the e-mail; without the label
 * such a host is a site (futebol.com.br). The local part one look-alike
 * letter off a word another item, read surer, spells (facebook.com.br/
 * sonaocasaquemnaoquer) takes that item's reading; read less surely than
 * the e-mail, the other item changes nothing. */
static void mail_from_label_and_items(void **state) {
    (void)state;
    json_t *o = parse_text("Fones 11 2082-2399\nMi facebook.com.br/sonaocasaquemnaoquer\nE-mail: sonaoeasaibol.com:. br\n", "BR");
    assert_string_equal(first_mail(o), "sonaocasa@bol.com.br");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 1);
    assert_false(confident(o, "emails"));
    json_decref(o);
    o = parse_text("E-mail: joaoxterra.com.br\n", "BR");
    assert_string_equal(first_mail(o), "joao@terra.com.br");
    json_decref(o);
    o = parse_text("www.futebol.com.br\nfutebol.com.br\n", "BR");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 2);
    json_decref(o);
    /* the site read less surely than the e-mail: the e-mail stays */
    o = parse_dump("0.60 40,10,600,30\tliderfrlorefrigeracao.com.br\n0.95 40,60,600,30\tE-mail: liderfrio@terra.com.br\n", "BR");
    assert_string_equal(first_mail(o), "liderfrio@terra.com.br");
    json_decref(o);
    o = parse_dump("0.95 40,10,600,30\tliderfriorefrigeracao.com.br\n0.60 40,60,600,30\tE-mail: liderfrlo@terra.com.br\n", "BR");
    assert_string_equal(first_mail(o), "liderfrio@terra.com.br");
    json_decref(o);
}

/* Round 32: a domain read poorly (a line of specks) tells a number's
 * country after the codes printed on the card; read well, before them. */
static void poor_domain_after_printed_code(void **state) {
    (void)state;
    static const char *const CARD = "0.96 730,239,326,54\tLE MINH DUC\n0.93 1100,361,77,28\t+84 903 123 597\n"
                                    "0.97 651,393,229,50\t28 3823 2631\n%.2f 623,439,544,57\tpduc.le@ rine cn\n";
    char buf[512];
    snprintf(buf, sizeof buf, CARD, 0.47);
    json_t *o = parse_dump(buf, "US");
    assert_true(has_phone(o, "+842838232631"));
    json_decref(o);
    snprintf(buf, sizeof buf, CARD, 0.95);
    o = parse_dump(buf, "US");
    assert_true(has_phone(o, "+862838232631"));
    json_decref(o);
    /* still a domain's own hint, not another's: a site read poorly whose
     * code a letter of small print made on a board in Brazil is mended */
    o = parse_dump("0.40 40,10,600,30\twww.chevroleste.com.pr\n", "BR");
    assert_string_equal(first_site(o), "www.chevroleste.com.br");
    json_decref(o);
}

/* Round 32: a title word read with a slip, beside a word of the title
 * read whole: four to seven letters one off ("Heod"), eight or more two
 * off ("Discctor"). Words of their own stay, whatever their
 * neighbours: places, trades, and words one letter short of a title
 * word ("Office", "Programme"). */
static void title_words_in_context(void **state) {
    (void)state;
    static const char *const CASES[][2] = {
        {"Heod of Partnerships", "Head of Partnerships"}, {"Hesd of Partnerships", "Head of Partnerships"},
        {"Managing Discctor", "Managing Director"},       {"Glass blower/designer", "Glass blower/designer"},
        {"Office Manager", "Office Manager"},             {"Programme Manager", "Programme Manager"},
        {"Head of Sales, Iberia", "Head of Sales, Iberia"}, {"Senior Java Developer", "Senior Java Developer"},
        {"Head of Legal", "Head of Legal"},               {"Sams Manager", "Sams Manager"},
        {"Diretor Administrativo", "Diretor Administrativo"}, {"Escrevente Autorizado", "Escrevente Autorizado"},
        {"Store Manager", "Store Manager"},               {"Chief People Officer", "Chief People Officer"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char text[256];
        snprintf(text, sizeof text, "Ana Berg\n%s\nana@acme.se\n", CASES[i][0]);
        json_t *o = parse_text(text, "SE");
        assert_string_equal(str(o, "title"), CASES[i][1]);
        json_decref(o);
    }
}

/* Round 32, legal forms read short: the Ltd after Pte, Pty or Pvt lost
 * or read as debris ("Orion Logistics Pte U", "Pty. Lal") is put back in
 * the form's case; the t of Ltda read as an i ("Granite Logistics Lida")
 * beside the card's domain or on a Brazilian card. "Lida" the given name,
 * and a form with its Ltd, stay. */
static void legal_forms_read_short(void **state) {
    (void)state;
    static const char *const CASES[][3] = {
        {"Tan Jun Jie\nOrion Logistics Pte U\nSales Manager\n", "SG", "Orion Logistics Pte Ltd"},
        {"Tan Jun Jie\nOrion Software Pte\nSales Manager\n", "SG", "Orion Software Pte Ltd"},
        {"Jack Smith\nTidewater Design Pty. Lal\nSales Manager\n", "AU", "Tidewater Design Pty. Ltd"},
        {"Jack Smith\nTidewater Design Pty. Ltd.\nSales Manager\n", "AU", "Tidewater Design Pty. Ltd"},
        {"Ravi Kumar\nSOLACE SYSTEMS PVT\nSales Manager\n", "IN", "SOLACE SYSTEMS PVT LTD"},
        {"Ana Lima\nGranite Logistics Lida\nrsouza@granite.com.br\n", "BR", "Granite Logistics Ltda"},
        {"Ana Lima\nGranite Lida\n+55 11 3305 4020\n", "BR", "Granite Ltda"},
        {"Ana Lima\nLida Rose\n+1 212 555 1234\n", "US", ""},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        json_t *o = parse_text(CASES[i][0], CASES[i][1]);
        assert_string_equal(str(o, "company"), CASES[i][2]);
        json_decref(o);
    }
    /* a form put back is a guess: read surely, the company is still not confident */
    static const char *const SURE[][2] = {{"Orion Software Pte", "0"}, {"Orion Software Pte Ltd", "1"},
                                          {"Granite Lida", "0"}, {"Granite Ltda", "1"}};
    for (size_t i = 0; i < sizeof SURE / sizeof *SURE; i++) {
        char dump[256];
        snprintf(dump, sizeof dump, "0.97 40,10,600,60\t%s\n0.95 40,200,500,30\tPaulo Souza\n"
                                    "0.95 40,300,500,30\tpaulo@%s.com.br\n",
                 SURE[i][0], SURE[i][0][0] == 'O' ? "orionsoftware" : "granite");
        json_t *o = parse_dump(dump, "BR");
        assert_int_equal(confident(o, "company"), SURE[i][1][0] == '1');
        json_decref(o);
    }
}

/* Round 32, names the e-mail supports: capitals read small beside a
 * local part that spells another word of the line ("Tan jun jie" beside
 * j.tan@, a hyphenated given name "Min-jun jung"); a speck read as a
 * quote ("„Hyun-woo Jung") or as a letter and a comma ("J, Min-jun Jung")
 * before the name. Without the e-mail's support, or on a line of a role,
 * nothing changes. */
static void names_the_email_supports(void **state) {
    (void)state;
    static const char *const CASES[][3] = {
        {"Tan jun jie\nSales Manager\nOrion Pte Ltd\nE j.tan@orionlogistics.com.sg\n", "SG", "Tan Jun Jie"},
        {"Min-jun jung\nSales Manager\nOrion Co., Ltd.\nminjun.jung@orion.co.kr\n", "KR", "Min-jun Jung"},
        {"Min-jun jung\nSales Manager\nOrion Co., Ltd.\nmjung@orion.co.kr\n", "KR", "Min-jun Jung"},
        {"\xe2\x80\x9eHyun-woo Jung\nSales Manager\nOrion Co., Ltd.\nhjung@orion.co.kr\n", "KR", "Hyun-woo Jung"},
        {"\xe2\x80\x9aHyun-woo Jung\nSales Manager\nOrion Co., Ltd.\nhjung@orion.co.kr\n", "KR", "Hyun-woo Jung"},
        {"J, Min-jun Jung\nSales Manager\nOrion Co., Ltd.\nmjung@orion.co.kr\n", "KR", "Min-jun Jung"},
        /* no support: as before */
        {"Tan jun jie\nSales Manager\nOrion Pte Ltd\nE sales@orionlogistics.com.sg\n", "SG", ""},
        {"J, Min-jun Jung\nSales Manager\nOrion Co., Ltd.\ninfo@orion.co.kr\n", "KR", ""},
        /* the line holds a role's word: no name */
        {"Tan sales manager\nOrion Pte Ltd\nE j.tan@orionlogistics.com.sg\n", "SG", ""},
        /* round 35: a name's first letters lost, which a part of the local
         * part has in front of its first word (a held-out render 8317,
         * photo 011); not three letters more, not a word the part does not
         * end with, not a line of a role */
        {"Bluewave SL\navier Romero\nTel: 912 345 055\njavier@bluewave.es\n", "ES", "Javier Romero"},
        {"Bluewave SL\nrancesca Bianchi\nf.bianchi@bluewave.it\n", "IT", ""},
        {"Bluewave SL\nnna Lindqvist\nanna.lindqvist@nordvik.se\n", "SE", "Anna Lindqvist"},
        {"Bluewave SL\navier Romero\nTel: 912 345 055\nxavierr@bluewave.es\n", "ES", ""},
        {"Bluewave SL\nrier Romero\nTel: 912 345 055\njavier@bluewave.es\n", "ES", ""},
        {"Bluewave SL\nales Manager\nsales@bluewave.es\n", "ES", ""},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        json_t *o = parse_text(CASES[i][0], CASES[i][1]);
        assert_string_equal(str(o, "name"), CASES[i][2]);
        json_decref(o);
    }
}

/* cards_real am04's lines (`greeter cards text`) but the one under the
 * brand, which %s stands for: the brand tests below put theirs there. */
static const char *const BELTIS_CARD =
    "0.90 821,143,562,150\tDaniel Carlos\n0.73 833,248,646,61\tDiretor Administrativo\n"
    "0.96 197,359,391,80\tBELTIS\n%s0.96 840,442,374,64\t(11) 2076 5555\n"
    "0.98 846,583,675,59\tdaniel.silva@beltis.com.br\n0.99 563,863,716,45\twww.beltis.com.br\n";

/* Round 32: a one-word brand with a line no field took right under it
 * (a logo's small print, "IT Solutions" read "PTT Solutions |": cards_real
 * am04) is kept but not marked confident; the brand alone, or with the
 * name's line under it, is. */
static void brand_over_untaken_line(void **state) {
    (void)state;
    static const char *const UNDER[][2] = {{"0.75 349,449,328,82\tPTT Solutions |\n", "0"},
                                           {"0.20 349,449,328,82\titi Ttrreica\n", "0"},
                                           {"0.75 349,700,328,82\tPTT Solutions |\n", "1"}, /* far below */
                                           {"0.75 1400,449,328,82\tPTT Solutions |\n", "1"}, /* beside */
                                           {"0.96 349,449,328,40\tInnovation that matters\n", "1"}, /* a tagline */
                                           {"", "1"}};
    for (size_t i = 0; i < sizeof UNDER / sizeof *UNDER; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, BELTIS_CARD, UNDER[i][0]);
        json_t *o = parse_dump(buf, "BR");
        assert_string_equal(str(o, "company"), "BELTIS");
        assert_int_equal(confident(o, "company"), UNDER[i][1][0] == '1');
        json_decref(o);
    }
}

/* Round 33: the descriptor a logo sets under a one-word brand, read well,
 * in smaller print, one or two capitalised words, is part of the company
 * (cards_real am04 "BELTIS IT Solutions", labelled so), never sure; a
 * claim of three words (or its words run together), a slogan, a word
 * with a digit, a phrase of small words, a line over the brand, a line as
 * tall as it, a line read poorly and two such lines leave the brand
 * alone. */
static void brand_descriptor_joined(void **state) {
    (void)state;
    static const char *const UNDER[][2] = {
        {"0.86 367,477,298,41\tIT Solutions\n", "BELTIS IT Solutions"},
        {"0.90 220,470,300,40\tInform\xc3\xa1tica\n", "BELTIS Inform\xc3\xa1tica"},
        {"0.90 200,470,380,40\tPE\xc3\x87""AS ORIGINAIS CHEVROLET\n", "BELTIS"}, /* a claim */
        {"0.90 200,470,380,40\tPECASORIGINAISCHEVROLET\n", "BELTIS"},          /* run together */
        {"0.90 220,470,300,40\tBest Quality\n", "BELTIS"},                     /* a slogan */
        {"0.90 220,470,300,40\tIT2 Solutions\n", "BELTIS"},                    /* a digit */
        {"0.90 220,470,300,40\tBetter together\n", "BELTIS"},                  /* a phrase */
        {"0.86 367,300,298,41\tIT Solutions\n", "BELTIS"},                     /* over it */
        {"0.86 367,477,298,80\tIT Solutions\n", "BELTIS"},                     /* as tall */
        {"0.70 367,477,298,41\tIT Solutions\n", "BELTIS"},                     /* read poorly */
        {"0.86 367,477,298,41\tIT Solutions\n0.86 220,510,298,30\tData Centers\n", "BELTIS"}, /* two */
    };
    for (size_t i = 0; i < sizeof UNDER / sizeof *UNDER; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, BELTIS_CARD, UNDER[i][0]);
        json_t *o = parse_dump(buf, "BR");
        assert_string_equal(str(o, "company"), UNDER[i][1]);
        if (i < 2) assert_false(confident(o, "company")); /* joined: never sure */
        assert_string_equal(str(o, "name"), "Daniel Carlos");
        json_decref(o);
    }
}

/* Round 33: a line of three letters or fewer read under 0.85, taller than
 * the rest and than the name, that no domain spells is an emblem's
 * debris, not the company (cards_real am20's "ALE" of a coat of arms);
 * a short brand the domain spells, and four letters or more, stay. */
static void short_debris_is_no_brand(void **state) {
    (void)state;
    static const char *const CARD = "%s0.86 477,399,542,45\tAguinaldo M. Righetti Jr.\n"
                                    "0.96 587,457,349,39\tEscrevente Autorizado\n"
                                    "0.94 151,615,1160,47\tRua 15 de Novembro, 193 - Centro\n"
                                    "0.84 255,714,952,42\tCel.: 11 99884-8929 e-mail: guina@%s\n";
    static const char *const CASES[][3] = {{"0.77 586,57,133,61\tALE\n", "8tabeliao.not.br", ""},
                                           {"0.77 586,57,133,61\tIBM\n", "ibm.com", "IBM"},
                                           {"0.77 586,57,173,61\tALEX\n", "8tabeliao.not.br", "ALEX"}};
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, CARD, CASES[i][0], CASES[i][1]);
        json_t *o = parse_dump(buf, "BR");
        assert_string_equal(str(o, "company"), CASES[i][2]);
        assert_string_equal(str(o, "name"), "Aguinaldo M. Righetti Jr");
        json_decref(o);
    }
}

/* Mail and title slips of hand-held photos: a '@' read as the registered
 * sign, an l read as a backslash, a site after the e-mail on its line, a
 * '@' read as a letter after an e-mail label, a host whose dot before the
 * country's code was read as a space, a first.last local part whose dot
 * and last letter were both misread; a five-letter title word with a
 * look-alike letter and an m read for ni. And what must stay. */
static void mail_and_title_slips(void **state) {
    (void)state;
    json_t *o = parse_text("Priya Sharma\npriya\xc2\xaesi\\verleaffoods.in | www.silverleaffoods.in\n", "IN");
    json_t *em = json_object_get(o, "emails");
    assert_int_equal(json_array_size(em), 1);
    assert_string_equal(json_string_value(json_array_get(em, 0)), "priya@silverleaffoods.in");
    assert_string_equal(first_site(o), "www.silverleaffoods.in");
    json_decref(o);
    /* a sign after a brand or before a year stays a sign */
    o = parse_text("Priya Sharma\nAcme\xc2\xae Tools\n\xc2\xa9 2024 acme.in\n", "IN");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    /* a bare host after the e-mail is its domain read apart, not a site */
    o = parse_text("Priya Sharma\npriya @ silverleaffoods.in\n", "IN");
    assert_int_equal(json_array_size(json_object_get(o, "websites")), 0);
    json_decref(o);
    o = parse_text("Wong Wei\nE wwongwpinnacle.com.sg\nW www pinnacle com.sg\n", "SG");
    em = json_object_get(o, "emails");
    assert_int_equal(json_array_size(em), 1);
    assert_string_equal(json_string_value(json_array_get(em, 0)), "wwong@pinnacle.com.sg");
    assert_string_equal(first_site(o), "www.pinnacle.com.sg");
    json_decref(o);
    /* without the label the letter is no '@': two sites stay */
    o = parse_text("Wong Wei\nwwongwpinnacle.com.sg\nW www pinnacle com.sg\n", "SG");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    /* ... but after a local part with a dot it is (a 640 x 480 photo's
     * "chloe.andersonSvantage.com,au"); a subdomain's dot stays a site */
    o = parse_text("Chloe Anderson\nchloe.andersonSvantage.com,au\nwww.vantage.com.au\n", "AU");
    assert_string_equal(first_mail(o), "chloe.anderson@vantage.com.au");
    json_decref(o);
    o = parse_text("Chloe Anderson\nshop.vantage.com.au\nwww.vantage.com.au\n", "AU");
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    json_decref(o);
    /* a public second level and a code after a lone W label; the e-mail agrees */
    o = parse_text("Kenji Yamamoto\nE kyamamoto@ solace co. jp\nW solace co. jp\nSolace K.K.\n", "JP");
    assert_string_equal(first_mail(o), "kyamamoto@solace.co.jp");
    assert_string_equal(first_site(o), "solace.co.jp");
    assert_string_equal(str(o, "company"), "Solace K.K.");
    json_decref(o);
    /* the dot before a country's code read as a space after a public
     * second level, the code ending the line (a 640 x 480 photo, hand-held) */
    mail_and_site_read_as("Naoko Kobayashi\nE naoko@redwood.co jp\nW www redwood.co jp\n", "JP", "naoko@redwood.co.jp",
                          "www.redwood.co.jp");
    /* that dot lost, the two run together: no TLD is "cojp" (".coop" is one) */
    mail_and_site_read_as("Yuki Yamamoto\nE y.yamamoto@harbour.cojp\nW harbour.cojp\n", "JP",
                          "y.yamamoto@harbour.co.jp", "harbour.co.jp");
    static const char *const codes[][3] = {
        {"Ana Souza\nasouza@falcon.com br\n", "BR", "asouza@falcon.com.br"},
        /* two letters that are no country's code stay out */
        {"Ana Souza\nasouza@falcon.com xq\n", "BR", "asouza@falcon.com"},
        {"Yuki Yamamoto\nyuki@harbour.coop\n", "JP", "yuki@harbour.coop"},
    };
    emails_read_as(codes, sizeof codes / sizeof *codes);
    /* a web line read too poorly for a site is no company; "Web Design Ltd" is one */
    o = parse_text("Anand Mehta\nCrestline Ltd\nWeb www crestine in\nWeb www crestine m\n", "IN");
    assert_string_equal(str(o, "company"), "Crestline Ltd");
    json_decref(o);
    o = parse_text("Anand Mehta\nWeb Design Ltd\n", "IN");
    assert_string_equal(str(o, "company"), "Web Design Ltd");
    json_decref(o);
    o = parse_text("Ji-hoon Park\nWeb: www tidewater co.kr\n", "KR");
    assert_string_equal(first_site(o), "www.tidewater.co.kr");
    json_decref(o);
    o = parse_text("Álvaro Martínez\nalvaro martiner@pinnacle.es\n", "ES");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)),
                        "alvaro.martinez@pinnacle.es");
    json_decref(o);
    static const char *const tw[][2] = {{"Chiet Executive Officer", "Chief Executive Officer"},
                                        {"Semor Software Engineer", "Senior Software Engineer"},
                                        {"Sales Managmg Director", "Sales Managing Director"},
                                        {"Chair of the Board", "Chair of the Board"},
                                        {"Business Development ! Manager", "Business Development Manager"},
                                        {"Owner", "Owner"}};
    titles_read_as(tw, sizeof tw / sizeof *tw);
}

/* Slips the card's other fields settle: a long legal form one letter off,
 * a web label glued to the www by a dot, a TLD one look-alike letter off
 * the country of the card's numbers (.tr on a +33 card; .ni is .nl unless
 * a number is Nicaraguan) or, with no number, a TLD no country has one
 * letter off the board's own, a letter dropped from a local part that is the
 * person's name. And what must stay. */
static void slips_the_card_settles(void **state) {
    (void)state;
    json_t *o = parse_text("Priya Nair\nSolace Private Limitec\npriya@solace.in\n", "IN");
    assert_string_equal(str(o, "company"), "Solace Private Limited");
    json_decref(o);
    o = parse_text("Priya Nair\nSOLACE PRIVATE LIMITEO\npriya@solace.in\n", "IN");
    assert_string_equal(str(o, "company"), "SOLACE PRIVATE LIMITED");
    json_decref(o);
    o = parse_text("Jin Kim\nWed.www.harbour.co.kr\n", "KR");
    assert_string_equal(first_site(o), "www.harbour.co.kr");
    json_decref(o);
    o = parse_text("Camille Laurent\n+33 1 42 68 53 12\ncamille@falcon.tr | www.falcon.tr\n", "US");
    assert_string_equal(first_mail(o), "camille@falcon.fr");
    assert_string_equal(first_site(o), "www.falcon.fr");
    json_decref(o);
    /* a Turkish number keeps .tr */
    o = parse_text("Ayse Kaya\n+90 212 555 12 34\nayse@falcon.tr\n", "US");
    assert_string_equal(first_mail(o), "ayse@falcon.tr");
    json_decref(o);
    o = parse_text("Daan de Vries\n020 123 0552\ndaan@nordvikcapital.ni\n", "US");
    assert_string_equal(first_mail(o), "daan@nordvikcapital.nl");
    assert_true(has_phone(o, "+31201230552"));
    json_decref(o);
    o = parse_text("Ana Lopez\n+505 2222 3333\nana@finca.ni\n", "US");
    assert_string_equal(first_mail(o), "ana@finca.ni");
    json_decref(o);
    /* the '+' read as a 4 before the card's country code */
    o = parse_text("Luiza Ferreira\nT 455 11 3885 4589\nM +55 11 91300-7334\n", "US");
    assert_true(has_phone(o, "+551138854589"));
    json_decref(o);
    /* in a country whose numbers are printed with a trunk 0, even when the
     * digits as read make some long number of it ("+49 4498945217299") */
    o = parse_text("Müge Schäfer\nT449 89 4521 7299\nmuge@falcon.de\n", "US");
    assert_true(has_phone(o, "+498945217299"));
    json_decref(o);
    o = parse_text("Müge Schäfer\nT 089 4521 7299\nmuge@falcon.de\n", "US");
    assert_true(has_phone(o, "+498945217299"));
    json_decref(o);
    /* a country code one digit off the country the rest of the card names,
     * its own named by nothing else: kept as printed, not confident; a
     * code the card names twice is sure */
    o = parse_text("Javier Ruiz\nT +94 91 234 5336\nM +34 612 345 661\nj.ruiz@vantage.es\n", "US");
    assert_true(has_phone(o, "+94912345336"));
    assert_true(confidence(o, "phones") < 0.5);
    json_decref(o);
    o = parse_text("Javier Ruiz\nT +34 91 234 5336\nM +34 612 345 661\nj.ruiz@vantage.es\n", "US");
    assert_true(confidence(o, "phones") > 0.6);
    json_decref(o);
    o = parse_text("Anna Weber\nT +49 30 2345 6789\nLondon +44 20 7946 0574\nLondon +44 20 7946 0575\nanna@weber.de\n",
                   "US");
    assert_true(confidence(o, "phones") > 0.6);
    json_decref(o);
    /* a 4 before another country's code is a digit */
    o = parse_text("Luiza Ferreira\nT 449 11 3885 4589\nM +55 11 91300-7334\n", "US");
    assert_false(has_phone(o, "+49113885458"));
    assert_false(has_phone(o, "+551138854589"));
    json_decref(o);
    /* a code no country has, one letter off the number's country */
    o = parse_text("Jonas Weber\n+49 30 23456789\nj.weber@weber-sohn.ce\nwww.weber-sohn.ce\n", "US");
    assert_string_equal(first_mail(o), "j.weber@weber-sohn.de");
    assert_string_equal(first_site(o), "www.weber-sohn.de");
    json_decref(o);
    /* no number: a TLD no country has, one letter off the board's own
     * (ocr.region), is the board's; not another board's */
    static const char *const sites[][3] = {
        {"CHEVROLESTE\nwww.chevroleste.com.Dr\n", "BR", "www.chevroleste.com.br"},
        {"CHEVROLESTE\nwww.chevroleste.com.Dr\n", "US", "www.chevroleste.com.dr"},
        /* a real country's code a b or p off the board's, which nothing
         * else on the card names (Puerto Rico's .pr of .br) */
        {"CHEVROLESTE\nwww.chevroleste.com.pr\n", "BR", "www.chevroleste.com.br"},
        {"CHEVROLESTE\nwww.chevroleste.com.pr\n", "US", "www.chevroleste.com.pr"},
        /* an r whose arm is faint, read as i (Burundi's .bi; round 27) */
        {"CHEVROLESTE\nwww.chevroleste.com.bi\n", "BR", "www.chevroleste.com.br"},
        {"CHEVROLESTE\nwww.chevroleste.com.bi\n", "US", "www.chevroleste.com.bi"},
        /* ... but stays when the card names a country: its address (a US
         * state's shape), its number */
        {"CHEVROLESTE\nwww.chevroleste.com.pr\nCalle Loiza 123, San Juan, PR 00911\n", "BR", "www.chevroleste.com.pr"},
        {"CHEVROLESTE\nwww.chevroleste.com.pr\n+1 787 555 0142\n", "BR", "www.chevroleste.com.pr"},
        /* and a real code no slip makes of the board's stays (.dk on a German board) */
        {"NORDVIK\nwww.nordvik.dk\n", "DE", "www.nordvik.dk"},
    };
    sites_read_as(sites, sizeof sites / sizeof *sites);
    static const char *const mails[][3] = {
        /* the card's numbers before the board: a German number makes .dr .de, even in Brazil */
        {"Jonas Weber\n+49 30 23456789\nj.weber@weber-sohn.dr\n", "BR", "j.weber@weber-sohn.de"},
        /* r and e, f and i (640 x 480 photos): .com.be on a card with Brazilian numbers, .ir with French */
        {"Fernanda Lima\nM +55 11 96002-3570\nfernanda@asterlogistics.com.be\n", "BR",
         "fernanda@asterlogistics.com.br"},
        {"Lucas Martin\nT +33 1 42 68 53 18\nlucas@redwood.ir\n", "FR", "lucas@redwood.fr"},
        /* ... not when a number is of the country as read */
        {"Lucas Martin\nT +33 1 42 68 53 18\nT +98 21 2204 5566\nlucas@redwood.ir\n", "FR", "lucas@redwood.ir"},
        /* a real country's TLD stays */
        {"Ana Lopez\nana@finca.com.do\n", "BR", "ana@finca.com.do"},
        {"Ji-hoon Park\njhoon@tidewater.co.kr\n", "KR", "jihoon@tidewater.co.kr"},
        /* a dot or a dash is no slip: jsmith is a choice */
        {"Jane Smith\njsmith@acme.com\n", "US", "jsmith@acme.com"},
    };
    emails_read_as(mails, sizeof mails / sizeof *mails);
}

/* A title with a word one letter off a title word ("Sates Manager") is
 * less sure than the same line read right. */
static void title_near_miss_less_sure(void **state) {
    (void)state;
    json_t *a = parse_text("Anna Berg\nSates Manager\nanna@berg.se\n", "SE");
    json_t *b = parse_text("Anna Berg\nSales Manager\nanna@berg.se\n", "SE");
    assert_string_equal(str(a, "title"), "Sales Manager"); /* put right beside Manager (round 32), a guess */
    double ca = json_real_value(json_object_get(json_object_get(a, "confidence"), "title"));
    double cb = json_real_value(json_object_get(json_object_get(b, "confidence"), "title"));
    assert_true(cb > 0 && ca < cb);
    json_decref(a);
    json_decref(b);
    /* so is one whose capital was read as a quote mark and a letter (round
     * 35, a held-out hand-held render 2491, photo 002, marked sure before) */
    a = parse_text("Anna Berg\n\xe2\x80\x98" "eperations Director\nanna@berg.se\n", "SE");
    b = parse_text("Anna Berg\nOperations Director\nanna@berg.se\n", "SE");
    ca = json_real_value(json_object_get(json_object_get(a, "confidence"), "title"));
    cb = json_real_value(json_object_get(json_object_get(b, "confidence"), "title"));
    assert_true(cb > 0 && ca < cb);
    assert_false(confident(a, "title"));
    json_decref(a);
    json_decref(b);
    /* a title cut short (a finger, the card's edge, a box of its own) is
     * less sure than the whole; short forms titles use are whole */
    static const char *const cut[][2] = {{"Project", "Project Manager"},
                                         {"jopment Manager", "Development Manager"},
                                         {"ve Officer", "Executive Officer"},
                                         {"Chief Execu", "Chief Executive"},
                                         {"Business Development", "Business Development Manager"}};
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
        char ta[128], tb[128];
        snprintf(ta, sizeof ta, "Anna Berg\n%s\nanna@berg.se\n", cut[i][0]);
        snprintf(tb, sizeof tb, "Anna Berg\n%s\nanna@berg.se\n", cut[i][1]);
        a = parse_text(ta, "SE");
        b = parse_text(tb, "SE");
        assert_string_equal(str(a, "title"), cut[i][0]);
        assert_false(confident(a, "title"));
        assert_true(confident(b, "title"));
        json_decref(a);
        json_decref(b);
    }
    /* read surely, still not sure (round 33: x0.8 had left 0.96 at 0.77, the mark) */
    a = parse_dump("0.85 90,83,505,58\tThijs van der Berg\n0.96 287,154,139,26\tChief Executive Off\n"
                   "0.99 89,280,599,38\tE thijs.vanderberg@falconsystems.nl\n",
                   "NL");
    assert_string_equal(str(a, "title"), "Chief Executive Off");
    assert_false(confident(a, "title"));
    json_decref(a);
    static const char *const whole[] = {"Sales Rep", "Chief Exec", "iOS Developer", "product Designer"};
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
        char t[128];
        snprintf(t, sizeof t, "Anna Berg\n%s\nanna@berg.se\n", whole[i]);
        a = parse_text(t, "SE");
        assert_true(confident(a, "title"));
        json_decref(a);
    }
}

/* A line under the name that names no role and no unit ("Sale", the head
 * of a department line OCR cut apart) gives way to the role line under
 * it; a line that is a role stays. */
static void role_line_under_a_stray_line(void **state) {
    (void)state;
    json_t *o = parse_text("Hiroshi Watanabe\nSale\nMarketing Director\nhiroshi@orion.co.jp\n", "JP");
    assert_string_equal(str(o, "title"), "Marketing Director");
    json_decref(o);
    o = parse_text("Ana Souza\nFotógrafa\nCasamentos e eventos\nEstúdio Luz Ltda\nana@luz.com.br\n", "BR");
    assert_string_equal(str(o, "title"), "Fotógrafa");
    json_decref(o);
    /* a conjunction on a role line is no company mark; beside a legal form or Partners it is */
    static const char *const roles[][3] = {{"Sales and Marketing Manager", "Sales and Marketing Manager", ""},
                                           {"Directeur Ventes et Marketing", "Directeur Ventes et Marketing", ""},
                                           {"Smith and Partners", "", "Smith and Partners"},
                                           {"Research & Development Ltd", "", "Research & Development Ltd"}};
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
        char text[128];
        snprintf(text, sizeof text, "Anna Berg\n%s\nanna@berg.se\n", roles[i][0]);
        o = parse_text(text, "SE");
        assert_string_equal(str(o, "title"), roles[i][1]);
        assert_string_equal(str(o, "company"), roles[i][2]);
        json_decref(o);
    }
}

/* A one-word company only a short piece of the domain spells ("Cres" of
 * crestlinefoods.com.au: the rest of "Crestline Foods Pty Ltd" cut off at
 * the card's edge, read at 0.96) is not vouched for by the domain: kept,
 * never confident. The domain in full, or the line's words spelling it,
 * still are. */
static void piece_of_domain_not_confident(void **state) {
    (void)state;
    static const char *const dump[] = {
        "0.96 104,92,344,68\tNoah Taylor\n0.91 114,171,370,34\tChief Executive Officer\n"
        "0.90 132,265,277,37\t+61 2 9876 4407\n0.90 147,361,398,41\tcrestlinefoods.com.au\n"
        "0.96 963,574,88,37\tCres\n",
        "0.96 104,92,344,68\tNoah Taylor\n0.91 114,171,370,34\tChief Executive Officer\n"
        "0.90 132,265,277,37\t+61 2 9876 4407\n0.90 147,361,398,41\tcrestlinefoods.com.au\n"
        "0.96 963,574,388,37\tCrestline Foods\n",
        "0.96 104,92,344,68\tNoah Taylor\n0.91 114,171,370,34\tChief Executive Officer\n"
        "0.90 132,265,277,37\t+61 2 9876 4407\n0.90 147,361,398,41\tcres.com.au\n"
        "0.96 963,574,88,37\tCres\n"};
    static const char *const want[] = {"Cres", "Crestline Foods", "Cres"};
    for (int i = 0; i < 3; i++) {
        json_t *o = parse_dump(dump[i], "AU");
        assert_string_equal(str(o, "company"), want[i]);
        if (i == 0) assert_false(confident(o, "company"));
        else assert_true(confident(o, "company"));
        json_decref(o);
    }
}

/* The name mends the e-mail's local part only when the e-mail was not
 * read clearly surer (a hand-held render: "pablo.garcialopez@" at 0.96,
 * vouched for by the line recogniser, beside "Yablo Garcia Lopez" at 0.74
 * had become yablo.garcialopez@, marked confident); read as unsurely as
 * the name, the name's reading is taken as before. */
static void surer_email_not_mended_by_name(void **state) {
    (void)state;
    const char *dump = "0.86 481,136,529,61\tBluewave Trading S.L.\n"
                       "0.74 120,335,320,65\tYablo Garcia Lopez\n"
                       "0.%s 525,355,486,46\tg pablo.garcialopez@bluewave.es\n"
                       "0.79 185,405,215,35\tOperations Director\n"
                       "0.74 514,312,259,35\tT +34 912 345 824\n";
    char buf[512];
    snprintf(buf, sizeof buf, dump, "96");
    json_t *o = parse_dump(buf, "ES");
    assert_string_equal(first_mail(o), "pablo.garcialopez@bluewave.es");
    json_decref(o);
    snprintf(buf, sizeof buf, dump, "70");
    o = parse_dump(buf, "ES");
    assert_string_equal(first_mail(o), "yablo.garcialopez@bluewave.es");
    json_decref(o);
}

/* A line naming a country is the address's, though a word of it is in
 * the e-mail's local part (render 2357/004: "Ho Chi Minh City, Vietnam"
 * beside minhduc.tran@ had been left out of the address as the person the
 * e-mail names). */
static void country_line_stays_in_address(void **state) {
    (void)state;
    json_t *o = parse_dump("0.95 567,84,536,44\tTidewater Systems Co., Ltd\n"
                           "0.96 566,183,354,31\tTel: (028) 3823 2033\n"
                           "0.95 568,270,638,33\tEmail: minhduc.tran@tidewatersystems.vn\n"
                           "0.95 54,247,393,80\tTRAN MINH DUC\n"
                           "0.81 567,316,445,34\tWeb: tidewatersystems.vn\n"
                           "0.88 571,363,391,30\t138 Le Duan, District 1\n"
                           "0.96 568,409,459,35\tHo Chi Minh City, Vietnam\n",
                           "US");
    assert_string_equal(json_string_value(json_object_get(o, "address")),
                        "138 Le Duan, District 1, Ho Chi Minh City, Vietnam");
    assert_string_equal(json_string_value(json_object_get(o, "name")), "TRAN MINH DUC");
    json_decref(o);
}

/* A name read fairly (0.5-0.75) is a little less likely a name: cards_real
 * am12, its logo read by the line detector (the card's biggest line), its
 * shadowed service line `Manutenção de Impressoras` read `Hanutengao de
 * Impressoras` at 0.69 — a name's shape — and the owner's name at 0.88. The
 * same lines with the service line read surely: it is then taken. */
static void fair_reading_less_likely_name(void **state) {
    (void)state;
    static const char *const lines =
        "0.99 47,551,599,117\tMicrovida\n"
        "0.88 838,263,596,66\tAltair D'Auria Miranda\n0.86 1178,345,259,35\tCrea 192744/TD\n"
        "0.94 712,677,731,52\tRua Cruzeiro. 406 - Barra Funda\n0.82 724,724,707,53\tCep 01137-000 - São Paulo - SP\n"
        "0.78 764,776,630,59\tmicrovida@microvida.com.br\n0.99 830,605,497,48\twww.microvida.com.br\n"
        "0.94 1489,109,45,286\t3392-3817\n";
    char dump[1024];
    snprintf(dump, sizeof dump, "0.69 84,71,701,45\tHanutengao de Impressoras\n%s", lines);
    json_t *o = parse_dump(dump, "BR");
    assert_string_equal(str(o, "name"), "Altair D'Auria Miranda");
    assert_string_equal(str(o, "company"), "Microvida");
    json_decref(o);
    /* a line of a name's shape at the same place: read surely it is the
     * name, read fairly it gives way */
    snprintf(dump, sizeof dump, "0.95 84,71,701,45\tRonaldo de Impressoras\n%s", lines);
    o = parse_dump(dump, "BR");
    assert_string_equal(str(o, "name"), "Ronaldo de Impressoras");
    json_decref(o);
    snprintf(dump, sizeof dump, "0.69 84,71,701,45\tRonaldo de Impressoras\n%s", lines);
    o = parse_dump(dump, "BR");
    assert_string_equal(str(o, "name"), "Altair D'Auria Miranda");
    json_decref(o);
    /* a service word two slips off (Manutenção) is no name however surely
     * read (round 27: am12 a grey level darker read the name at 0.79) */
    snprintf(dump, sizeof dump, "0.95 84,71,701,45\tHanutengao de Impressoras\n%s", lines);
    o = parse_dump(dump, "BR");
    assert_string_equal(str(o, "name"), "Altair D'Auria Miranda");
    json_decref(o);
    o = parse_text("Hanutengao de Impressoras\n", "BR");
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    o = parse_text("Distribuidor Brastemp\n", "BR"); /* who sells a brand (am18) */
    assert_string_equal(str(o, "name"), "");
    json_decref(o);
    o = parse_text("Catarina Fernandes\n", "BR"); /* two slips off Catering, at eight letters: a name */
    assert_string_equal(str(o, "name"), "Catarina Fernandes");
    json_decref(o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(role_line_under_a_stray_line),
        cmocka_unit_test(title_near_miss_less_sure),
        cmocka_unit_test(slips_the_card_settles),
        cmocka_unit_test(mail_and_title_slips),
        cmocka_unit_test(legal_forms_of_many_countries),
        cmocka_unit_test(name_against_department_tagline_and_debris),
        cmocka_unit_test(company_from_dominant_type),
        cmocka_unit_test(company_agrees_with_brand_keys),
        cmocka_unit_test(company_on_two_lines),
        cmocka_unit_test(company_debris_and_short_forms),
        cmocka_unit_test(company_split_on_one_row),
        cmocka_unit_test(name_debris_and_services),
        cmocka_unit_test(phones_from_noisy_rows),
        cmocka_unit_test(names_of_many_cultures),
        cmocka_unit_test(site_and_title_repairs),
        cmocka_unit_test(name_and_title_on_one_row),
        cmocka_unit_test(cards_of_more_countries),
        cmocka_unit_test(taglines_boxes_and_canada),
        cmocka_unit_test(role_named_after_its_unit),
        cmocka_unit_test(names_with_brackets_degrees_and_commas),
        cmocka_unit_test(promises_licences_and_studios),
        cmocka_unit_test(registration_numbers_are_no_phones),
        cmocka_unit_test(held_out_round12),
        cmocka_unit_test(row_pieces_joined),
        cmocka_unit_test(country_of_every_number),
        cmocka_unit_test(local_and_old_numbers),
        cmocka_unit_test(email_host_without_dots),
        cmocka_unit_test(mangled_hosts),
        cmocka_unit_test(name_and_local_disagree),
        cmocka_unit_test(brand_over_untaken_line),
        cmocka_unit_test(brand_descriptor_joined),
        cmocka_unit_test(short_debris_is_no_brand),
        cmocka_unit_test(names_the_email_supports),
        cmocka_unit_test(legal_forms_read_short),
        cmocka_unit_test(title_words_in_context),
        cmocka_unit_test(mail_from_label_and_items),
        cmocka_unit_test(poor_domain_after_printed_code),
        cmocka_unit_test(fields_split_at_bars),
        cmocka_unit_test(area_code_from_the_state),
        cmocka_unit_test(local_numbers_without_area_code),
        cmocka_unit_test(unread_number_makes_phones_unsure),
        cmocka_unit_test(numbers_on_an_email_line),
        cmocka_unit_test(confident_flags),
        cmocka_unit_test(lines_from_text_dump),
        cmocka_unit_test(hours_trades_bullets_and_sites),
        cmocka_unit_test(north_american_number_shape),
        cmocka_unit_test(domain_over_bare_mark),
        cmocka_unit_test(addresses_of_more_countries),
        cmocka_unit_test(title_on_two_lines),
        cmocka_unit_test(small_print_slips),
        cmocka_unit_test(slips_in_numbers_and_mail),
        cmocka_unit_test(title_role_unit_and_ltd),
        cmocka_unit_test(word_cut_in_two_boxes),
        cmocka_unit_test(sites_mended_from_the_card),
        cmocka_unit_test(platform_pages),
        cmocka_unit_test(trade_and_owners_line),
        cmocka_unit_test(trade_over_owner_name),
        cmocka_unit_test(card_schemes_no_company),
        cmocka_unit_test(dominant_line_not_slogan),
        cmocka_unit_test(glued_trade_words),
        cmocka_unit_test(edges_cut_and_dotted_forms),
        cmocka_unit_test(misread_marks_not_confident),
        cmocka_unit_test(company_head_cut_at_edge),
        cmocka_unit_test(brand_before_legal_form),
        cmocka_unit_test(brand_beside_trade_line),
        cmocka_unit_test(fields_a_shadow_cuts),
        cmocka_unit_test(person_named_after_the_number),
        cmocka_unit_test(line_ending_in_a_comma_is_no_name),
        cmocka_unit_test(piece_of_domain_not_confident),
        cmocka_unit_test(fair_reading_less_likely_name),
        cmocka_unit_test(country_line_stays_in_address),
        cmocka_unit_test(surer_email_not_mended_by_name),
        cmocka_unit_test(marks_between_fields),
        cmocka_unit_test(roles_of_romance_languages),
        cmocka_unit_test(name_over_its_role),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
