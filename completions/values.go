package completions

import (
	"github.com/posener/complete/v2"
	"github.com/posener/complete/v2/predict"
)

// Values is how a flag's value completes. An applet names it beside the
// flag; the predictor is built here, where the Sources are. The zero Values
// belongs to a boolean flag, which takes no value.
type Values struct {
	kind  valueKind
	words []string // the candidates of OneOf
}

type valueKind int

const (
	noValue valueKind = iota
	anyWord
	fixedWords
	directories
	environmentNames
	toolNames
	toolNameList
	templateNames
	branchNames
)

// AnyWord is a value devenv cannot guess, such as a port or a new name:
// nothing is offered.
func AnyWord() Values { return Values{kind: anyWord} }

// OneOf is one of a fixed set of words.
func OneOf(words ...string) Values { return Values{kind: fixedWords, words: words} }

// Shells is one of the shells devenv integrates with.
func Shells() Values { return OneOf(shells...) }

// Directories is a directory, completed the way a shell does.
func Directories() Values { return Values{kind: directories} }

// Environments is the name of a running environment.
func Environments() Values { return Values{kind: environmentNames} }

// Tools is the name of a tool in the build context.
func Tools() Values { return Values{kind: toolNames} }

// ToolList is a comma-separated list of tools.
func ToolList() Values { return Values{kind: toolNameList} }

// Templates is the name of a project template.
func Templates() Values { return Values{kind: templateNames} }

// Branches is the name of a branch of the repository at hand.
func Branches() Values { return Values{kind: branchNames} }

// TakesValue says whether the flag takes a value: false for a boolean flag.
func (v Values) TakesValue() bool { return v.kind != noValue }

// predictor is v's predictor, drawing on src; nil for a boolean flag.
func (v Values) predictor(src Sources) complete.Predictor {
	switch v.kind {
	case anyWord:
		return predict.Something
	case fixedWords:
		return predict.Set(v.words)
	case directories:
		return dirs()
	case environmentNames:
		return from(src.Environments)
	case toolNames:
		return from(src.Tools)
	case toolNameList:
		return toolList(src.Tools)
	case templateNames:
		return from(src.Templates)
	case branchNames:
		return from(src.Branches)
	}
	return nil
}
