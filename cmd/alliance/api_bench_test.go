package main

import "testing"

// BenchmarkAPIStory answers one story with all its fields, in German, from the database.
func BenchmarkAPIStory(b *testing.B) {
	benchPage(b, false, func(*Main) string { return "/api/v1/stories/meridia-days-2026-recap?lang=de" })
}

// BenchmarkAPIStoryList answers the first page of 20 stories, in German, from the database.
func BenchmarkAPIStoryList(b *testing.B) {
	benchPage(b, false, func(*Main) string { return "/api/v1/stories?lang=de" })
}

// BenchmarkAPIFilteredLearning answers the learning catalogue filtered by kind and language.
func BenchmarkAPIFilteredLearning(b *testing.B) {
	benchPage(b, false, func(*Main) string { return "/api/v1/learning?kind=bip&language=en" })
}
