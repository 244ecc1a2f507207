package locale

// This file holds the language data the formatters need, copied by hand from
// CLDR (cldr-json, gregorian calendar, numbers and plural rules) so that each
// value can be checked against its source. Patterns are kept in CLDR's own
// syntax and compiled once at init, which keeps the tables reviewable and the
// per-call formatting free of parsing.

// calendarData is one language's CLDR gregorian calendar subset.
type calendarData struct {
	// Format-context month names: used next to a day number ("MMMM").
	// Greek needs the genitive here ("Ιουνίου"), which is why format and
	// stand-alone names are kept apart.
	monthsWide [12]string
	// Format-context abbreviated months ("MMM"), for the medium date.
	monthsAbbr [12]string
	// Stand-alone months ("LLLL"), used where the month stands without a
	// day, as in Greek "Ιούνιος 2026". Languages without a distinction
	// repeat monthsWide.
	monthsStandalone [12]string
	// Format-context wide weekdays, Sunday first to match time.Weekday.
	weekdays [7]string
	// Abbreviated day periods ("a"), only used by 12-hour languages.
	am, pm string

	full      string // dateFormats/full (yMMMMEEEEd)
	long      string // dateFormats/long (yMMMMd)
	medium    string // dateFormats/medium
	monthYear string // availableFormats/yMMMM
	timeShort string // timeFormats/short

	// intervalFormats for the long date (skeleton yMMMMd), by greatest
	// difference: day, month, year. Where CLDR has no yMMMMd entry, these
	// are its yMMMd entry with MMM widened to MMMM, which is what ICU's
	// best-match algorithm derives from the same data.
	rangeDay, rangeMonth, rangeYear string
	// intervalFormats for the short time: Hm (or hm) when the hours or
	// minutes differ, and the "a" entry when the day period differs (the
	// same pattern in 24-hour languages).
	timeRange, timeRangePeriod string
}

// numberData is one language's CLDR decimal symbols (latn numbering system).
type numberData struct {
	decimal  string
	group    string
	minus    string
	minGroup int // minimumGroupingDigits: es writes 1234 but 12.345
}

// langData gathers everything per language that is not in the catalogue.
type langData struct {
	cal calendarData
	num numberData
	// File size units for 1000, 10^6 and 10^9 bytes: CLDR's short units
	// digital-kilobyte, -megabyte and -gigabyte (CLDR 48): "kB" with the SI
	// prefix everywhere but French, which counts in octets ("ko", "Mo").
	units [3]string
	// lowerLanguageNames: running text writes language names in lower case,
	// where CLDR's names are capitalised (Greek "στα αγγλικά", CLDR
	// "Αγγλικά"). See LanguageName.
	lowerLanguageNames bool
	// The word before the UTC offset. CLDR's gmtFormat is "GMT{0}" in
	// several of these languages, but the product prefers "UTC", which all
	// eight readerships understand.
	utc string
	// URL slug of each section, by the section's id (internal/web's registry of sections
	// lists the sections; a test there checks every one has a slug here in every language).
	slugs map[string]string
	// CLDR cardinal plural rule for integers, and the categories it uses.
	plural     func(n uint64) pluralCategory
	categories []pluralCategory
}

var englishMonths = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// data is indexed by language code. Read-only after init.
var data = map[string]*langData{
	// English in the en-GB style the product wants (CLDR en-GB/en-001):
	// day before month, 24-hour clock, "Sept" in the medium date.
	"en": {
		cal: calendarData{
			monthsWide:       englishMonths,
			monthsAbbr:       [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"},
			monthsStandalone: englishMonths,
			weekdays:         [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
			am:               "am", pm: "pm",
			full:            "EEEE, d MMMM y",
			long:            "d MMMM y",
			medium:          "d MMM y",
			monthYear:       "MMMM y",
			timeShort:       "HH:mm",
			rangeDay:        "d–d MMMM y",
			rangeMonth:      "d MMMM – d MMMM y",
			rangeYear:       "d MMMM y – d MMMM y",
			timeRange:       "HH:mm–HH:mm",
			timeRangePeriod: "HH:mm–HH:mm",
		},
		num:        numberData{decimal: ".", group: ",", minus: "-", minGroup: 1},
		units:      [3]string{"kB", "MB", "GB"},
		utc:        "UTC",
		slugs:      map[string]string{"news": "news", "resources": "resources", "events": "events", "learn": "learn", "calls": "calls", "members": "members", "search": "search"},
		plural:     pluralOneIsOne,
		categories: []pluralCategory{one, other},
	},
	"fr": {
		cal: calendarData{
			monthsWide:       [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
			monthsAbbr:       [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
			monthsStandalone: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
			weekdays:         [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
			am:               "AM", pm: "PM",
			full:            "EEEE d MMMM y",
			long:            "d MMMM y",
			medium:          "d MMM y",
			monthYear:       "MMMM y",
			timeShort:       "HH:mm",
			rangeDay:        "d–d MMMM y",
			rangeMonth:      "d MMMM – d MMMM y",
			rangeYear:       "d MMMM y – d MMMM y",
			timeRange:       "HH:mm – HH:mm",
			timeRangePeriod: "HH:mm – HH:mm",
		},
		// CLDR has used U+202F (narrow no-break space) as the French group
		// separator since v34.
		num:        numberData{decimal: ",", group: "\u202f", minus: "-", minGroup: 1},
		units:      [3]string{"ko", "Mo", "Go"},
		utc:        "UTC",
		slugs:      map[string]string{"news": "actualites", "resources": "ressources", "events": "evenements", "learn": "apprendre", "calls": "appels", "members": "membres", "search": "rechercher"},
		plural:     pluralFrench,
		categories: []pluralCategory{one, many, other},
	},
	"de": {
		cal: calendarData{
			monthsWide:       [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
			monthsAbbr:       [12]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
			monthsStandalone: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
			weekdays:         [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
			am:               "AM", pm: "PM",
			full:       "EEEE, d. MMMM y",
			long:       "d. MMMM y",
			medium:     "dd.MM.y",
			monthYear:  "MMMM y",
			timeShort:  "HH:mm",
			rangeDay:   "d.–d. MMMM y",
			rangeMonth: "d. MMMM – d. MMMM y",
			rangeYear:  "d. MMMM y – d. MMMM y",
			// CLDR's German time interval carries "Uhr".
			timeRange:       "HH:mm–HH:mm 'Uhr'",
			timeRangePeriod: "HH:mm–HH:mm 'Uhr'",
		},
		num:        numberData{decimal: ",", group: ".", minus: "-", minGroup: 1},
		units:      [3]string{"kB", "MB", "GB"},
		utc:        "UTC",
		slugs:      map[string]string{"news": "news", "resources": "ressourcen", "events": "veranstaltungen", "learn": "lernen", "calls": "ausschreibungen", "members": "mitglieder", "search": "suche"},
		plural:     pluralOneIsOne,
		categories: []pluralCategory{one, other},
	},
	"el": {
		cal: calendarData{
			monthsWide:       [12]string{"Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου", "Ιουλίου", "Αυγούστου", "Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου", "Δεκεμβρίου"},
			monthsAbbr:       [12]string{"Ιαν", "Φεβ", "Μαρ", "Απρ", "Μαΐ", "Ιουν", "Ιουλ", "Αυγ", "Σεπ", "Οκτ", "Νοε", "Δεκ"},
			monthsStandalone: [12]string{"Ιανουάριος", "Φεβρουάριος", "Μάρτιος", "Απρίλιος", "Μάιος", "Ιούνιος", "Ιούλιος", "Αύγουστος", "Σεπτέμβριος", "Οκτώβριος", "Νοέμβριος", "Δεκέμβριος"},
			weekdays:         [7]string{"Κυριακή", "Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο"},
			am:               "π.μ.", pm: "μ.μ.",
			full:            "EEEE d MMMM y",
			long:            "d MMMM y",
			medium:          "d MMM y",
			monthYear:       "LLLL y",
			timeShort:       "h:mm a",
			rangeDay:        "d–d MMMM y",
			rangeMonth:      "d MMMM – d MMMM y",
			rangeYear:       "d MMMM y – d MMMM y",
			timeRange:       "h:mm–h:mm a",
			timeRangePeriod: "h:mm a – h:mm a",
		},
		num:                numberData{decimal: ",", group: ".", minus: "-", minGroup: 1},
		units:              [3]string{"kB", "MB", "GB"},
		lowerLanguageNames: true,
		utc:                "UTC",
		slugs:              map[string]string{"news": "nea", "resources": "poroi", "events": "ekdiloseis", "learn": "mathisi", "calls": "proskliseis", "members": "meli", "search": "anazitisi"},
		plural:             pluralOneIsOne,
		categories:         []pluralCategory{one, other},
	},
	"it": {
		cal: calendarData{
			monthsWide:       [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
			monthsAbbr:       [12]string{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"},
			monthsStandalone: [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
			weekdays:         [7]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
			am:               "AM", pm: "PM",
			full:      "EEEE d MMMM y",
			long:      "d MMMM y",
			medium:    "d MMM y",
			monthYear: "MMMM y",
			timeShort: "HH:mm",
			// CLDR's Italian yMMMd interval pads the day ("dd–dd MMM y"), so
			// ranges read "02–05 marzo 2026" while a single date reads
			// "2 marzo 2026". Kept as CLDR (and ICU) have it.
			rangeDay:        "dd–dd MMMM y",
			rangeMonth:      "dd MMMM – dd MMMM y",
			rangeYear:       "dd MMMM y – dd MMMM y",
			timeRange:       "HH:mm–HH:mm",
			timeRangePeriod: "HH:mm–HH:mm",
		},
		num:        numberData{decimal: ",", group: ".", minus: "-", minGroup: 1},
		units:      [3]string{"kB", "MB", "GB"},
		utc:        "UTC",
		slugs:      map[string]string{"news": "notizie", "resources": "risorse", "events": "eventi", "learn": "imparare", "calls": "bandi", "members": "membri", "search": "cerca"},
		plural:     pluralItalian,
		categories: []pluralCategory{one, many, other},
	},
	"es": {
		cal: calendarData{
			monthsWide:       [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
			monthsAbbr:       [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
			monthsStandalone: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
			weekdays:         [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
			am:               "a. m.", pm: "p. m.",
			full:      "EEEE, d 'de' MMMM 'de' y",
			long:      "d 'de' MMMM 'de' y",
			medium:    "d MMM y",
			monthYear: "MMMM 'de' y",
			timeShort: "H:mm",
			// Spanish is the one language here with its own yMMMMd entry.
			rangeDay:        "d–d 'de' MMMM 'de' y",
			rangeMonth:      "d 'de' MMMM – d 'de' MMMM 'de' y",
			rangeYear:       "d 'de' MMMM 'de' y – d 'de' MMMM 'de' y",
			timeRange:       "H:mm–H:mm",
			timeRangePeriod: "H:mm–H:mm",
		},
		num:        numberData{decimal: ",", group: ".", minus: "-", minGroup: 2},
		units:      [3]string{"kB", "MB", "GB"},
		utc:        "UTC",
		slugs:      map[string]string{"news": "noticias", "resources": "recursos", "events": "eventos", "learn": "aprender", "calls": "convocatorias", "members": "miembros", "search": "buscar"},
		plural:     pluralSpanish,
		categories: []pluralCategory{one, many, other},
	},
	"sv": {
		cal: calendarData{
			monthsWide:       [12]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
			monthsAbbr:       [12]string{"jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."},
			monthsStandalone: [12]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
			weekdays:         [7]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"},
			am:               "fm", pm: "em",
			full:      "EEEE d MMMM y",
			long:      "d MMMM y",
			medium:    "d MMM y",
			monthYear: "MMMM y",
			timeShort: "HH:mm",
			// Swedish CLDR intervals use an unspaced en dash throughout.
			rangeDay:        "d–d MMMM y",
			rangeMonth:      "d MMMM–d MMMM y",
			rangeYear:       "d MMMM y–d MMMM y",
			timeRange:       "HH:mm–HH:mm",
			timeRangePeriod: "HH:mm–HH:mm",
		},
		// Swedish uses U+00A0 to group and U+2212 (minus sign) for negatives.
		num:        numberData{decimal: ",", group: "\u00a0", minus: "\u2212", minGroup: 1},
		units:      [3]string{"kB", "MB", "GB"},
		utc:        "UTC",
		slugs:      map[string]string{"news": "nyheter", "resources": "resurser", "events": "evenemang", "learn": "lara", "calls": "utlysningar", "members": "medlemmar", "search": "sok"},
		plural:     pluralOneIsOne,
		categories: []pluralCategory{one, other},
	},
	"ro": {
		cal: calendarData{
			monthsWide:       [12]string{"ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"},
			monthsAbbr:       [12]string{"ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec."},
			monthsStandalone: [12]string{"ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"},
			weekdays:         [7]string{"duminică", "luni", "marți", "miercuri", "joi", "vineri", "sâmbătă"},
			am:               "a.m.", pm: "p.m.",
			full:            "EEEE, d MMMM y",
			long:            "d MMMM y",
			medium:          "d MMM y",
			monthYear:       "MMMM y",
			timeShort:       "HH:mm",
			rangeDay:        "d–d MMMM y",
			rangeMonth:      "d MMMM – d MMMM y",
			rangeYear:       "d MMMM y – d MMMM y",
			timeRange:       "HH:mm–HH:mm",
			timeRangePeriod: "HH:mm–HH:mm",
		},
		num:        numberData{decimal: ",", group: ".", minus: "-", minGroup: 1},
		units:      [3]string{"kB", "MB", "GB"},
		utc:        "UTC",
		slugs:      map[string]string{"news": "stiri", "resources": "resurse", "events": "evenimente", "learn": "invata", "calls": "apeluri", "members": "membri", "search": "cautare"},
		plural:     pluralRomanian,
		categories: []pluralCategory{one, few, other},
	},
}
