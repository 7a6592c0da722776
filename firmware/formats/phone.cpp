// phone.cpp - libphonenumber behind the extern "C" interface of phone.h.
#include "firmware/formats/phone.h"

extern "C" {
#include "firmware/core/err.h"
}

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

static void upper2(const char *in, char out[3]) {
    out[0] = (char)((in[0] >= 'a' && in[0] <= 'z') ? in[0] - 32 : in[0]);
    out[1] = (char)((in[1] >= 'a' && in[1] <= 'z') ? in[1] - 32 : in[1]);
    out[2] = '\0';
}

extern "C" int fmt_phone_parse(const char *text, const char *region, char *e164, size_t e164len,
                               fmt_phone_kind_t *kind) {
    if (!text || !e164 || e164len < 20) return GR_ERR_INVAL;
    char reg[3] = "ZZ";
    if (region && strlen(region) == 2) upper2(region, reg);
    try {
        const PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
        PhoneNumber n;
        if (u->Parse(std::string(text), std::string(reg), &n) != PhoneNumberUtil::NO_PARSING_ERROR) return GR_ERR_FORMAT;
        if (!u->IsValidNumber(n)) return GR_ERR_FORMAT;
        std::string out;
        u->Format(n, PhoneNumberUtil::E164, &out);
        if (out.size() + 1 > e164len) return GR_ERR_FORMAT;
        memcpy(e164, out.c_str(), out.size() + 1);
        if (kind) {
            switch (u->GetNumberType(n)) {
            case PhoneNumberUtil::FIXED_LINE: *kind = FMT_PHONE_FIXED; break;
            case PhoneNumberUtil::MOBILE: *kind = FMT_PHONE_MOBILE; break;
            case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: *kind = FMT_PHONE_EITHER; break;
            case PhoneNumberUtil::UNKNOWN: *kind = FMT_PHONE_UNKNOWN; break;
            default: *kind = FMT_PHONE_OTHER; break;
            }
        }
        return GR_OK;
    } catch (...) {
        return GR_ERR_FORMAT;
    }
}

extern "C" int fmt_phone_parse_possible(const char *text, const char *region, char *e164, size_t e164len,
                                        fmt_phone_kind_t *kind) {
    int rc = fmt_phone_parse(text, region, e164, e164len, kind);
    if (rc != GR_ERR_FORMAT) return rc;
    char reg[3] = "ZZ";
    if (region && strlen(region) == 2) upper2(region, reg);
    try {
        const PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
        PhoneNumber n;
        if (u->Parse(std::string(text), std::string(reg), &n) != PhoneNumberUtil::NO_PARSING_ERROR) return GR_ERR_FORMAT;
        if (u->IsPossibleNumberWithReason(n) != PhoneNumberUtil::IS_POSSIBLE) return GR_ERR_FORMAT;
        std::string out;
        u->Format(n, PhoneNumberUtil::E164, &out);
        if (out.size() + 1 > e164len) return GR_ERR_FORMAT;
        memcpy(e164, out.c_str(), out.size() + 1);
        if (kind) *kind = FMT_PHONE_UNKNOWN;
        return GR_OK;
    } catch (...) {
        return GR_ERR_FORMAT;
    }
}

extern "C" int fmt_phone_area_code(const char *e164, char *out, size_t outlen) {
    if (!e164 || !out || outlen < 8) return GR_ERR_INVAL;
    try {
        const PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
        PhoneNumber n;
        if (u->Parse(std::string(e164), "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR || !u->IsValidNumber(n))
            return GR_ERR_NOTFOUND;
        int len = u->GetLengthOfNationalDestinationCode(n);
        std::string nsn;
        u->GetNationalSignificantNumber(n, &nsn);
        if (len <= 0 || (size_t)len >= outlen || (size_t)len >= nsn.size()) return GR_ERR_NOTFOUND;
        memcpy(out, nsn.c_str(), (size_t)len);
        out[len] = '\0';
        return GR_OK;
    } catch (...) {
        return GR_ERR_NOTFOUND;
    }
}

extern "C" int fmt_phone_region(const char *e164, char *cc, size_t cclen) {
    if (!e164 || !cc || cclen < 3) return GR_ERR_INVAL;
    try {
        const PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
        PhoneNumber n;
        if (u->Parse(std::string(e164), "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR) return GR_ERR_NOTFOUND;
        std::string r;
        u->GetRegionCodeForNumber(n, &r);
        if (r.size() != 2 || r == "ZZ") return GR_ERR_NOTFOUND;
        memcpy(cc, r.c_str(), 3);
        return GR_OK;
    } catch (...) {
        return GR_ERR_NOTFOUND;
    }
}

extern "C" int fmt_phone_region_known(const char *region) {
    if (!region || strlen(region) != 2) return 0;
    char reg[3];
    upper2(region, reg);
    try {
        return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(reg) != 0;
    } catch (...) {
        return 0;
    }
}

extern "C" int fmt_phone_country_code(const char *region) {
    if (!region || strlen(region) != 2) return 0;
    char reg[3];
    upper2(region, reg);
    try {
        return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(std::string(reg));
    } catch (...) {
        return 0;
    }
}
