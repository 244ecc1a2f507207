package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
)

// The back office's strings live apart from the public site's, in backoffice/{lang}.json: the
// public catalogues are complete in every language, while the back office is complete in some
// (en, de, el) and falls back to English, key by key, in the others. Keys are grouped by a
// dotted prefix like the public ones ("signin.", "users.", "mail.").

//go:embed backoffice/*.json
var backofficeFS embed.FS

// backoffice holds each language's back office messages by key; read-only after init.
var backoffice = map[string]map[string]*message{}

func init() {
	for _, lang := range supported {
		raw, err := backofficeFS.ReadFile("backoffice/" + lang + ".json")
		if err != nil {
			if _, missing := err.(*fs.PathError); missing {
				continue // falls back to English, key by key
			}
			panic(err)
		}
		var flat map[string]string
		if err := json.Unmarshal(raw, &flat); err != nil {
			panic(fmt.Sprintf("locale: backoffice/%s.json: %v", lang, err))
		}
		msgs := make(map[string]*message, len(flat))
		for k, v := range flat {
			msgs[k] = parseMessage(v)
		}
		backoffice[lang] = msgs
	}
	if backoffice[Default] == nil {
		panic("locale: no backoffice/" + Default + ".json")
	}
}

// B returns the back office's string for key in l's language, or in English when l's
// catalogue lacks it, with {name} placeholders filled as T does. A key missing in English too
// returns the key itself.
func (l *Locale) B(key string, args ...any) string {
	m, ok := backoffice[l.Lang][key]
	if !ok {
		if m, ok = backoffice[Default][key]; !ok {
			return key
		}
	}
	return l.render(m, args, "")
}

// HasBackoffice reports whether l's own back office catalogue has key (without falling back).
func (l *Locale) HasBackoffice(key string) bool {
	_, ok := backoffice[l.Lang][key]
	return ok
}

// BackofficeKeys returns the keys of lang's own back office catalogue, sorted; nil when it has
// none.
func BackofficeKeys(lang string) []string {
	var keys []string
	for k := range backoffice[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
