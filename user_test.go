package alliance

import (
	"fmt"
	"testing"
)

// TestAuthorizationMatrix writes out, for every role, every action on an item of the user's
// own (their university's, or created by them) and on another's. The letters are read in
// pairs, own then other, in the order of the columns.
func TestAuthorizationMatrix(t *testing.T) {
	columns := []Action{
		Do(VerbCreate), Do(VerbEdit), Translate("el"), Translate("fr"),
		Do(VerbPublish), Do(VerbDelete), Do(VerbUsers), Do(VerbAudit),
	}
	//                       create edit  el   fr  publish delete users audit
	matrix := map[Role]string{
		RoleAdministrator: "YY    YY    YY   YY   YY     YY     YY    YY",
		RoleEditor:        "YY    YY    YY   YY   YY     YY     NN    NN",
		RoleMemberEditor:  "YN    YN    YN   YN   YN     YN     NN    NN",
		RoleOrganiser:     "YY    YN    YN   YN   YN     YN     NN    NN",
		RoleTranslator:    "NN    NN    YY   NN   NN     NN     NN    NN",
	}
	if len(matrix) != len(Roles) {
		t.Fatalf("the matrix has %d roles, want %d", len(matrix), len(Roles))
	}
	for _, role := range Roles {
		u := &User{ID: 7, Email: "u@example.eu", Role: role, Member: "genil", Languages: []string{"el", "de"}}
		own := Owned{Kind: KindEvent, Members: []string{"genil"}, Creator: 7}
		other := Owned{Kind: KindEvent, Members: []string{"auenwald"}, Creator: 8}
		if role == RoleOrganiser {
			// An organiser's own is what they created, whichever university hosts it.
			own.Members = []string{"auenwald"}
		}
		var want []bool
		for _, c := range matrix[role] {
			switch c {
			case 'Y':
				want = append(want, true)
			case 'N':
				want = append(want, false)
			}
		}
		if len(want) != 2*len(columns) {
			t.Fatalf("%s: %d cells, want %d", role, len(want), 2*len(columns))
		}
		for i, a := range columns {
			for j, it := range []Owned{own, other} {
				whose := [...]string{"own", "other's"}[j]
				if got := Can(u, a, it); got != want[2*i+j] {
					t.Errorf("%s %s%s on %s item = %v, want %v", role, a.Verb, lang(a), whose, got, want[2*i+j])
				}
				disabled := *u
				disabled.Disabled = true
				if Can(&disabled, a, it) {
					t.Errorf("disabled %s may %s%s", role, a.Verb, lang(a))
				}
			}
		}
	}
	if Can(nil, Do(VerbEdit), Owned{Kind: KindStory}) {
		t.Error("nobody may edit")
	}
}

func lang(a Action) string {
	if a.Lang == "" {
		return ""
	}
	return " into " + a.Lang
}

// TestAuthorizationKinds checks which kinds the narrower roles reach at all, on items that are
// otherwise theirs.
func TestAuthorizationKinds(t *testing.T) {
	member := &User{ID: 3, Role: RoleMemberEditor, Member: "genil"}
	organiser := &User{ID: 4, Role: RoleOrganiser}
	translator := &User{ID: 5, Role: RoleTranslator, Languages: []string{"de"}}
	tests := []struct {
		kind                          Kind
		member, organiser, translator bool // may edit / edit / translate into de
	}{
		{KindStory, true, false, true},
		{KindResource, true, false, true},
		{KindEvent, true, true, true},
		{KindSession, true, true, true},
		{KindLearning, true, true, true},
		{KindCall, false, false, true},
		{KindPage, false, false, true},
		{KindMember, false, false, true},
		{KindPerson, false, false, true},
		{KindCategory, false, false, true},
		{KindTheme, false, false, true},
		{KindResourceType, false, false, true},
		{KindAudience, false, false, true},
		{KindChallenge, false, false, true},
	}
	if len(tests) != len(Kinds) {
		t.Fatalf("%d kinds tested, %d exist", len(tests), len(Kinds))
	}
	for _, tt := range tests {
		it := Owned{Kind: tt.kind, Members: []string{"genil"}, Creator: 4}
		for _, c := range []struct {
			u    *User
			a    Action
			want bool
		}{
			{member, Do(VerbEdit), tt.member},
			{organiser, Do(VerbEdit), tt.organiser},
			{translator, Translate("de"), tt.translator},
			{translator, Do(VerbEdit), false},
		} {
			if got := Can(c.u, c.a, it); got != c.want {
				t.Errorf("%s %s%s a %s = %v, want %v", c.u.Role, c.a.Verb, lang(c.a), tt.kind, got, c.want)
			}
		}
	}
	// A session is added to an event: an organiser needs the event to be theirs.
	if !Can(organiser, Do(VerbCreate), Owned{Kind: KindSession, Creator: 4}) ||
		Can(organiser, Do(VerbCreate), Owned{Kind: KindSession, Creator: 9}) {
		t.Error("an organiser adds sessions to their own events only")
	}
	if Can(translator, Action{Verb: VerbTranslate}, Owned{Kind: KindStory}) {
		t.Error("a translation into no language was allowed")
	}
}

func TestMembersOf(t *testing.T) {
	people := map[string]string{"ana": "genil", "bo": "auenwald", "cy": ""}
	personMember := func(p string) string { return people[p] }
	tests := []struct {
		s    Shared
		want string
	}{
		{&Event{Host: "genil"}, "[genil]"},
		{&Learning{Coordinator: "auenwald", Partners: []string{"genil"}}, "[auenwald]"},
		{&Story{Authors: []string{"ana", "bo", "cy", "ana"}}, "[genil auenwald]"},
		{&Resource{Authors: []string{"bo"}}, "[auenwald]"},
		{&Session{Event: "x"}, "[]"},
		{&Call{}, "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(MembersOf(tt.s, personMember)); got != tt.want {
			t.Errorf("MembersOf(%T) = %s, want %s", tt.s, got, tt.want)
		}
	}
}

func TestUserValidate(t *testing.T) {
	tests := []struct {
		u    User
		want string
	}{
		{User{Email: "a@b.eu", Role: RoleEditor}, "[]"},
		{User{Email: "", Role: RoleEditor}, "[email: is required]"},
		{User{Email: "A <a@b.eu>", Role: RoleEditor}, `[email: "A <a@b.eu>" is not an e-mail address]`},
		{User{Email: "a@b.eu", Role: "boss"}, `[role: must be one of administrator, editor, member-editor, organiser, translator, not "boss"]`},
		{User{Email: "a@b.eu", Role: RoleMemberEditor}, "[member: is required for a member editor]"},
		{User{Email: "a@b.eu", Role: RoleTranslator}, "[languages: a translator needs at least one language]"},
		{User{Email: "a@b.eu", Role: RoleTranslator, Languages: []string{"Greek"}}, `[languages: "Greek" is not an ISO 639-1 language code]`},
	}
	for _, tt := range tests {
		var c Check
		tt.u.Validate(&c)
		if got := fmt.Sprint(c.Errors); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.u, got, tt.want)
		}
	}
}

// TestAuthorizationMedia writes out the media library's rule: who may upload, and delete a
// file they uploaded (own) or someone else's (other).
func TestAuthorizationMedia(t *testing.T) {
	//                 upload own, other  delete own, other
	matrix := map[Role][4]bool{
		RoleAdministrator: {true, true, true, true},
		RoleEditor:        {true, true, true, true},
		RoleMemberEditor:  {true, true, true, false},
		RoleOrganiser:     {false, false, false, false},
		RoleTranslator:    {false, false, false, false},
	}
	for _, role := range Roles {
		u := &User{ID: 7, Role: role, Member: "genil", Languages: []string{"el"}}
		cells := []struct {
			v        Verb
			uploader int64
		}{{VerbUpload, 7}, {VerbUpload, 8}, {VerbDeleteMedia, 7}, {VerbDeleteMedia, 8}}
		for i, c := range cells {
			if got := Can(u, Do(c.v), Owned{Creator: c.uploader}); got != matrix[role][i] {
				t.Errorf("%s %s a file uploaded by %d = %v, want %v", role, c.v, c.uploader, got, matrix[role][i])
			}
			disabled := *u
			disabled.Disabled = true
			if Can(&disabled, Do(c.v), Owned{Creator: c.uploader}) {
				t.Errorf("disabled %s may %s", role, c.v)
			}
		}
	}
	// An imported file (uploader 0) is nobody's own.
	if Can(&User{ID: 7, Role: RoleMemberEditor, Member: "genil"}, Do(VerbDeleteMedia), Owned{}) {
		t.Error("a member editor may delete an imported file")
	}
}
