package alliance

import (
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Role is what a user of the back office is trusted with. The string values are stored in the
// database and typed on the command line; they never change.
type Role string

// The roles, from the widest to the narrowest.
const (
	// RoleAdministrator may do everything, and is the only role that manages users and reads
	// the audit log.
	RoleAdministrator Role = "administrator"
	// RoleEditor writes, translates and publishes every item of the site.
	RoleEditor Role = "editor"
	// RoleMemberEditor does what an editor does, on the items of one member university only:
	// its stories and resources, the events it hosts, the learning it coordinates, and the
	// sessions of those events.
	RoleMemberEditor Role = "member-editor"
	// RoleOrganiser creates events and learning opportunities, and does what an editor does on
	// those they created and on those events' sessions.
	RoleOrganiser Role = "organiser"
	// RoleTranslator translates any item into the user's languages, and changes nothing else.
	RoleTranslator Role = "translator"
)

// Roles lists every role, in the order the back office offers them.
var Roles = []Role{RoleAdministrator, RoleEditor, RoleMemberEditor, RoleOrganiser, RoleTranslator}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a person who signs in to the back office. The password and the tokens are kept by
// the store, never in this type.
type User struct {
	ID    int64
	Email string // lower case; the name one signs in with
	Name  string
	Role  Role
	// Member is the key of the member university whose items a member editor may change.
	Member string
	// Languages are the languages a translator translates into (ISO 639-1 codes).
	Languages []string
	// Lang is the language of the back office and of the mails sent to the user.
	Lang     string
	Disabled bool
	Created  time.Time
}

// NormalizeEmail returns an address as users are found by: trimmed and in lower case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate records what is wrong with u on its own: the address, the role, and the facts the
// role needs (a member editor's university, a translator's languages). Whether the member
// exists is the store's to check.
func (u *User) Validate(c *Check) {
	if u.Email == "" {
		c.Add("email", ProblemRequired, "", "is required")
	} else if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || a.Name != "" {
		c.Add("email", ProblemEmail, u.Email, "%q is not an e-mail address", u.Email)
	}
	if len(u.Name) > 200 {
		c.Add("name", ProblemTooLong, "", "is longer than 200 characters")
	}
	if !u.Role.Valid() {
		names := make([]string, len(Roles))
		for i, r := range Roles {
			names[i] = string(r)
		}
		c.Add("role", ProblemChoice, string(u.Role), "must be one of %s, not %q", strings.Join(names, ", "), string(u.Role))
	}
	switch {
	case u.Role == RoleMemberEditor && u.Member == "":
		c.Add("member", ProblemRequired, "", "is required for a member editor")
	case u.Member != "" && !ValidKey(u.Member):
		c.Add("member", ProblemUnknownRef, u.Member, "%q is not a member's key", u.Member)
	}
	if u.Role == RoleTranslator && len(u.Languages) == 0 {
		c.Add("languages", ProblemRequired, "", "a translator needs at least one language")
	}
	for _, l := range u.Languages {
		if !langPattern.MatchString(l) {
			c.Add("languages", ProblemLanguage, l, "%q is not an ISO 639-1 language code", l)
		}
	}
	if u.Lang != "" && !langPattern.MatchString(u.Lang) {
		c.Add("lang", ProblemLanguage, u.Lang, "%q is not an ISO 639-1 language code", u.Lang)
	}
}

// Verb is what a user asks to do.
type Verb string

// The verbs of the authorization rule.
const (
	VerbCreate    Verb = "create"    // create an item of a kind
	VerbEdit      Verb = "edit"      // change an item's shared fields (and its source text)
	VerbTranslate Verb = "translate" // write an item's text in one language (Action.Lang)
	VerbPublish   Verb = "publish"   // publish, unpublish, schedule, make a draft
	VerbDelete    Verb = "delete"    // delete an item or one of its translations
	VerbUsers     Verb = "users"     // invite users, change their roles, disable them
	VerbAudit     Verb = "audit"     // read the audit log
	// The media library, whose files belong to no university: Owned.Creator is the uploader.
	VerbUpload      Verb = "upload"       // see the library and put a file into it
	VerbDeleteMedia Verb = "delete-media" // take a file out of the library
)

// Verbs lists every verb.
var Verbs = []Verb{VerbCreate, VerbEdit, VerbTranslate, VerbPublish, VerbDelete, VerbUsers, VerbAudit, VerbUpload, VerbDeleteMedia}

// Action is a verb and, for VerbTranslate, the language translated into.
type Action struct {
	Verb Verb
	Lang string
}

// Do returns the action of a verb without a language.
func Do(v Verb) Action { return Action{Verb: v} }

// Translate returns the action of translating into lang.
func Translate(lang string) Action { return Action{Verb: VerbTranslate, Lang: lang} }

// Owned is what the authorization rule knows of an item: its kind and who it belongs to. For
// VerbCreate it describes the item about to be created.
type Owned struct {
	Kind Kind
	// Members are the member universities the item belongs to (see MembersOf); a session's
	// are its event's.
	Members []string
	// Creator is the user who created the item (0 for items imported from files); a session's
	// is its event's, so that an organiser owns the programme of their event.
	Creator int64
}

// memberKinds are the kinds a member editor may hold, when they belong to their university.
var memberKinds = []Kind{KindStory, KindResource, KindEvent, KindSession, KindLearning}

// organiserKinds are the kinds an organiser creates and owns.
var organiserKinds = []Kind{KindEvent, KindSession, KindLearning}

// Can is the authorization rule of the whole platform: whether u may do a on it. The back
// office and the API both ask it, and nothing else decides. A missing or disabled user may do
// nothing.
func Can(u *User, a Action, it Owned) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch a.Verb {
	case VerbUsers, VerbAudit:
		return u.Role == RoleAdministrator
	case VerbUpload, VerbDeleteMedia:
		return canMedia(u, a.Verb, it.Creator)
	case VerbCreate, VerbEdit, VerbTranslate, VerbPublish, VerbDelete:
	default:
		return false
	}
	if a.Verb == VerbTranslate && a.Lang == "" {
		return false // a translation is into some language
	}
	switch u.Role {
	case RoleAdministrator, RoleEditor:
		return true
	case RoleMemberEditor:
		return u.Member != "" && slices.Contains(memberKinds, it.Kind) && slices.Contains(it.Members, u.Member)
	case RoleOrganiser:
		if !slices.Contains(organiserKinds, it.Kind) {
			return false
		}
		// A new event or learning opportunity becomes the organiser's own; a session is added
		// to an event, so it needs the event to be theirs.
		if a.Verb == VerbCreate && it.Kind != KindSession {
			return true
		}
		return it.Creator != 0 && it.Creator == u.ID
	case RoleTranslator:
		return a.Verb == VerbTranslate && slices.Contains(u.Languages, a.Lang)
	}
	return false
}

// canMedia is the rule of the media library. Editors and administrators keep it. A member
// editor writes stories and resources, which show images and files: they upload, and delete
// what they uploaded (a file belongs to no university, and another's may be on their pages).
// An organiser's kinds (events, sessions, learning) and a translator's texts name no media
// file, so neither uses the library; a story's alt text, which a translator writes, needs none.
func canMedia(u *User, v Verb, uploader int64) bool {
	switch u.Role {
	case RoleAdministrator, RoleEditor:
		return true
	case RoleMemberEditor:
		return v == VerbUpload || uploader != 0 && uploader == u.ID
	}
	return false
}

// MembersOf returns the member universities an item with shared fields s belongs to: the host of
// an event, the coordinator of a learning opportunity, and for a story or resource the members
// of its authors (personMember returns a person's member key, "" when none). Other kinds (and
// sessions, whose members are their event's) belong to no member.
func MembersOf(s Shared, personMember func(person string) string) []string {
	var out []string
	add := func(keys ...string) {
		for _, k := range keys {
			if k != "" && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	switch v := s.(type) {
	case *Event:
		add(v.Host)
	case *Learning:
		add(v.Coordinator)
	case *Story:
		for _, p := range v.Authors {
			add(personMember(p))
		}
	case *Resource:
		for _, p := range v.Authors {
			add(personMember(p))
		}
	}
	return out
}
