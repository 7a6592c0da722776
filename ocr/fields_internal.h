/* fields_internal.h - what the field parser's files share (ocr/fields*.c):
 * the parse state the stages fill in turn (cleaned lines with their kind,
 * the e-mails, websites and phones found, the region hints, the chosen
 * address, name, company and title lines), the stages themselves in the
 * order ocr_fields_parse runs them, and the text, layout and domain helpers
 * several stages use. Not for other parts or other ocr/ files: they use
 * fields.h. Names: functions ocr_fld_*, types fld_*_t, constants FLD_*. */
#ifndef OCR_FIELDS_INTERNAL_H
#define OCR_FIELDS_INTERNAL_H

#include "ocr/fields.h"

#include <jansson.h>
#include <stddef.h>

#define FLD_MAX_ITEMS 8 /* e-mails, websites and phones kept per card, each */
#define FLD_MAX_REGIONS 6
#define FLD_MAX_ADDR_LINES 6

/* What a line was found to be. */
enum {
    FLD_OTHER = 0, /* not decided yet */
    FLD_EMAIL,
    FLD_WEB,
    FLD_PHONE,
    FLD_SOCIAL, /* @handle without a domain */
    FLD_ADDR,
    FLD_NAME,
    FLD_TITLE,
    FLD_COMPANY,
    FLD_JUNK /* logo or QR noise */
};

/* One cleaned line. */
typedef struct {
    char *t;       /* cleaned text, owned by the parse state */
    float conf;
    int x, y, w, h;
    int kind;      /* FLD_* */
    int contact;   /* holds an e-mail/web/phone/handle */
    int addr;      /* address score */
    int cyr;       /* Cyrillic letters */
    int letters;
} fld_line_t;

typedef struct {
    char number[24]; /* E.164 */
    const char *type; /* "work", "mobile" or "fax" (static strings) */
    float conf;
} fld_phone_t;

/* An e-mail or website and the confidence of the line it came from. */
typedef struct {
    char s[256];
    float conf;
    char pre[64]; /* e-mails: the lower-case word right before the local part
                     ("thimai" of "thimai pham@orion.vn": a dot read as a space;
                     "f" of "f romano@"; "j." of "j. weber@"; "^Oliver" of
                     "Oliver natarajan@", a capital first), joined in front
                     when the name supports it; "=l" when the local part's
                     first letters may be an l and its dot ("Lsmith@",
                     "|_bernard@"); "=E" when its first letter is a
                     capital E, a label's glued on ("Emuge@"); "" when none */
} fld_item_t;

/* The parse state: one per ocr_fields_parse call, filled stage by stage. */
typedef struct {
    fld_line_t *l; /* n lines in reading order */
    size_t n;
    size_t cap; /* room in l */
    fld_item_t emails[FLD_MAX_ITEMS];
    int nemails;
    fld_item_t sites[FLD_MAX_ITEMS];
    int nsites;
    fld_phone_t phones[FLD_MAX_ITEMS];
    int nphones;
    char regions[FLD_MAX_REGIONS][3]; /* ISO alpha-2 hints for phone numbers, best first */
    int nregions;
    int ndomain_regions; /* the first of them, from the e-mails' and sites' domains */
    int npoor_domain_regions; /* from domains read poorly, after the printed codes (round 32) */
    char area[8];        /* area code of the card's first valid number ("11"), "" when none */
    char area_region[3]; /* that number's region */
    int area_guessed;    /* area taken from a state named in the address (no number printed one) */
    int numbers_lost;    /* numbers printed as phones that gave none (line_phones): the set is not sure */
    int ncyr, nlat; /* Cyrillic and other letters on the card */
    int addr_lines[FLD_MAX_ADDR_LINES]; /* the address, top to bottom */
    int naddr;
    int iname, icomp, ititle;     /* line indexes; -1 when absent */
    int ititle2;                  /* the title's second line (a department under a role, or the role under
                                     its department); -1 when absent */
    char stem[128];               /* key of the e-mail/web domain's registrable label */
    char brands[4][128];          /* keys a company line may agree with: every own domain's
                                   * label, the local part of an e-mail at a mail provider */
    int nbrands;
    char comp_text[256];          /* the company when it is not one line's text as is
                                   * (debris trimmed, two lines joined); "" otherwise */
    char local[128];              /* the first e-mail's local part, set with the e-mails */
    char board[3];                /* the board's ocr.region ("BR"), "" when none */
    char after_number[128];       /* a person named after a card's number ("... 2783-6958 / Valdeci"),
                                     the name when no line is one */
    int iafter_number;            /* the line it stands on; -1 when none */
    int name_doubted;             /* an e-mail read surer than the name misses it by a letter or two */
    int form_mended;              /* 1 + the line whose legal form was put back (Pte -> Pte Ltd,
                                     Lida -> Ltda): a guess; 0 when none */
} fld_state_t;

/* ------------------------------------------------ the stages, in order */

/* fields_web.c: e-mails, websites and @handles by their grammar; a web line
 * without dots or TLD completed from the e-mail's domain; e-mail and web
 * domains that differ a little made equal. */
void ocr_fld_find_contacts(fld_state_t *p);
/* fields_web.c, after the phones: an e-mail whose host lost its dots
 * ("jorg@luminacapitalde"), its TLD told by the card's country. */
void ocr_fld_email_without_dot(fld_state_t *p);
/* fields_names.c: 1 when a number of the card or a hint of it (address,
 * domain) is of one of the countries in ccs ("AU ZA"). */
int ocr_fld_card_of(const fld_state_t *p, const char *ccs);
/* fields_phone.c: region hints (domains, script, international numbers on
 * the card); returns the fallback region (region when libphonenumber knows
 * it, else NULL). */
const char *ocr_fld_find_regions(fld_state_t *p, const char *region);
/* fields_phone.c: the phones of every line that is not e-mail/web/handle. */
void ocr_fld_find_phones(fld_state_t *p, const char *fallback);
/* fields_address.c: the best address line grown to its neighbours. */
void ocr_fld_find_address(fld_state_t *p);
/* One address line as it goes into the field, cleaned in place: a label
 * before it ("Address:", "Endereço:", "Lojas:") and a phone label left
 * dangling at its end ("... 1553 - Tel/Fax:") dropped, with the marks
 * around them ("«", "-"). */
void ocr_fld_address_line_clean(char *t);
/* fields_names.c: name, company and title among the lines left. */
void ocr_fld_find_people(fld_state_t *p);
/* fields_names.c: the company name fixes a near-miss domain; the name
 * fixes a one-letter slip in the e-mail's local part. */
void ocr_fld_cross_check(fld_state_t *p);
/* fields_names.c: name, given_name, family_name, title and company into the
 * contact o, their confidences into conf. */
void ocr_fld_put_people(const fld_state_t *p, json_t *o, json_t *conf);

/* fields.c: o[key] = v ("" for NULL), conf[key] = c rounded to 0.01 (0 when v is empty). */
void ocr_fld_set_field(json_t *o, json_t *conf, const char *key, const char *v, double c);

/* ------------------------------------------------ fields_text.c: text */

/* Cleaned copy of one OCR line (typographic dashes/quotes/spaces unified,
 * spaces collapsed, leading icon debris dropped); malloc'd, caller frees;
 * NULL when out of memory. */
char *ocr_fld_clean_line(const char *in);
/* ASCII copy of s for e-mail/URL grammar: Cyrillic homoglyphs mapped to
 * Latin, other non-ASCII as '~'. Writes at most n-1 bytes and a NUL. */
void ocr_fld_ascii_fold(const char *s, char *out, size_t n);
/* 1 when w (lower case) labels a phone, mobile or fax number ("tel", "fone"). */
int ocr_fld_phone_label(const char *w);
/* Where the first label of a company's registration, tax or licence number
 * ends in line t ("USt-IdNr. DE 812345678", "RCS Paris 812 345 678",
 * "P.IVA 01234567890", "CNPJ 12.345.678/0001-90", "CRO-SP 84.221"; the
 * short ones, "TIN", "IVA", "CRM", only in capitals), its start in *start
 * (may be NULL), or (size_t)-1 when none. The numbers after it are no
 * phones unless a phone label stands right before one; a line that starts
 * with one is no address line. */
size_t ocr_fld_registration_at(const char *t, size_t *start);
/* 1 when w (lower case) is one of the NULL-terminated labels. */
int ocr_fld_is_label(const char *w, const char *const *labels);
/* How many words of s (split at any of seps) are, lower-cased, in list. */
int ocr_fld_count_listed(const char *s, const char *seps, const char *const *list);
int ocr_fld_count_words(const char *s);
int ocr_fld_ci_starts(const char *s, const char *p);
/* Case-insensitive (ASCII) substring search. */
const char *ocr_fld_ci_find(const char *hay, const char *needle);
void ocr_fld_lower_ascii(char *s);
/* Letters and capitals, with the Latin letters beyond Latin-1 names carry
 * (Ł, Ş, Đ, Vietnamese ễ, Ư) that utf8.h does not know. */
int ocr_fld_is_upper(unsigned c);
int ocr_fld_is_letter(unsigned c);
/* fmt_u8_key (lower-case ASCII letters and digits) with those letters
 * folded to their base ("Nguyễn" -> "nguyen", "Łukasz" -> "lukasz"). */
void ocr_fld_key(const char *s, char *out, size_t n);
/* Strip trailing punctuation and quotes OCR hangs on a name/company ("Snyder.", "Snyder'"). */
void ocr_fld_trim_punct(char *s);

/* ------------------------------------------------ fields_layout.c */

/* Sort order of lines: rows top to bottom, left first in a row. */
int ocr_fld_cmp_y(const void *a, const void *b);
/* Index of the line right below / above line i in the same column, or -1;
 * the next / previous line when there are no boxes. */
int ocr_fld_below(const fld_state_t *p, int i);
int ocr_fld_above(const fld_state_t *p, int i);

/* 1 when s names an organisational unit ("Sales Department", "Abteilung
 * Vertrieb", "Setor Comercial"). */
int ocr_fld_org_unit(const char *s);
/* 1 when a word of line t, as a key, is inside the first e-mail's local
 * part ("Fernanda Costa Oliveira" and fernanda@). */
int ocr_fld_names_local(const fld_state_t *p, const char *t);

/* ------------------------------------------------ fields_names.c */

/* Company legal-form marks (GmbH, PLC, ООО, « ...) in s. */
int ocr_fld_company_marks(const char *s);
/* 1 when the last word of s is a legal form where one stands ("Consulting Inc"). */
int ocr_fld_ends_with_mark(const char *s);
/* 1 when s holds a legal form of three letters or more (Ltda, GmbH, JSC,
 * Inc.): no person's name and no street carries one. */
int ocr_fld_long_legal_form(const char *s);
/* Title words (manager, Leiter, директор ...) in s. */
int ocr_fld_title_words(const char *s);
/* Words of departments, taglines, services and opening hours in s (plus
 * one for ! ? :): lines of a name's shape that are not a name. */
int ocr_fld_not_name_words(const char *s);
/* 1 when line s is the card schemes a shop accepts ("VISA VISA", "Master
 * Card"): their words outnumber the rest. */
int ocr_fld_payment_line(const char *s);
/* 1 when line s gives opening hours: two day names ("Segunda a Sábado",
 * "Mon-Fri"), or a day name and a time of day ("Sat 9h-13h"). */
int ocr_fld_opening_hours(const char *s);

/* ------------------------------------------------ fields_web.c: domains */

/* fields_hints.c: 1 when d is a mail provider's domain many companies
 * share (gmail.com, terra.com.br): it says nothing about the company. */
int ocr_fld_shared_mail_domain(const char *d);

/* Item i of the card's e-mails and sites, e-mails first (i < nemails + nsites);
 * ocr_fld_item its text. */
fld_item_t *ocr_fld_item_at(fld_state_t *p, int i);
char *ocr_fld_item(fld_state_t *p, int i);

/* 1 when k (a registrable label, lower case) is a hosting or social
 * platform's (blogspot, facebook): the business is named by the subdomain
 * or the first path segment, not by the platform. */
int ocr_fld_platform_label(const char *k);
/* 1 when small print makes letters a and b of each other (lower case):
 * i l 1, f t, c e, n h, u v. */
int ocr_fld_confusable(char a, char b);
/* The last label of the host of e-mail or site s when it has two
 * characters ("fr" of "a@b.fr", "www.b.fr/x"), in place; NULL when not. */
char *ocr_fld_two_letter_tld(char *s);
/* Country (alpha-2) of a domain's TLD, or NULL. */
const char *ocr_fld_tld_region(const char *domain);
/* 1 when the TLD t ("io", "co", "eu") is one sold worldwide as a generic
 * name: it says nothing about where the card is from. */
int ocr_fld_vanity_tld(const char *t);
/* The registrable label of a host: "lyonsbaker" in "www.lyonsbaker.co.uk",
 * "beltis" in "beltis.com.br". Sets *off and *len within host; 0 when there
 * is none. */
int ocr_fld_host_stem(const char *host, size_t *off, size_t *len);
/* The same for the host of s (an e-mail or URL): *off within s. */
int ocr_fld_stem_in(const char *s, size_t *off, size_t *len);
/* The key of a domain's registrable label: "beltis" for beltis.com.br. */
void ocr_fld_domain_stem(const char *dom, char *stem, size_t n);
/* The brand key of a website: its registrable label, or on a platform the
 * subdomain or first path segment ("nog" of nog.carbonmade.com). */
void ocr_fld_site_brand(const char *site, char *out, size_t n);
/* The host of a website: no scheme, no path. */
void ocr_fld_site_host(const char *site, char *host, size_t n);
/* Replace the registrable label of the host in s (an e-mail or URL of
 * capacity cap) by stem when it is a near-miss of it. 1 when replaced. */
int ocr_fld_fix_stem(char *s, size_t cap, const char *stem);

#endif
