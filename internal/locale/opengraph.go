package locale

import "strings"

// ogLocales maps the site's languages to the locale Open Graph's og:locale names, language and
// territory as Facebook lists them (fr_FR, not fr): a bare language code is not recognized.
// The territory is the one where the language is first at home: English is en_GB for a
// European alliance, Greek el_GR, Swedish sv_SE.
var ogLocales = map[string]string{
	"en": "en_GB", "fr": "fr_FR", "de": "de_DE", "el": "el_GR", "it": "it_IT", "es": "es_ES",
	"sv": "sv_SE", "ro": "ro_RO", "pt": "pt_PT", "nl": "nl_NL", "pl": "pl_PL", "cs": "cs_CZ",
	"sk": "sk_SK", "sl": "sl_SI", "hr": "hr_HR", "hu": "hu_HU", "bg": "bg_BG", "da": "da_DK",
	"fi": "fi_FI", "et": "et_EE", "lv": "lv_LV", "lt": "lt_LT", "ga": "ga_IE", "mt": "mt_MT",
	"ca": "ca_ES", "eu": "eu_ES", "gl": "gl_ES", "nb": "nb_NO", "is": "is_IS", "tr": "tr_TR",
	"uk": "uk_UA", "sr": "sr_RS", "sq": "sq_AL", "mk": "mk_MK",
}

// OGLocale returns the Open Graph locale of lang ("fr_FR" for "fr"); a language missing from
// the table gets its own code as territory ("xx_XX"), still of the form readers accept.
func OGLocale(lang string) string {
	if l, ok := ogLocales[lang]; ok {
		return l
	}
	return lang + "_" + strings.ToUpper(lang)
}
