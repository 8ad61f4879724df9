package notmain

// Answer exists so that this directory is a valid, non-main package.
func Answer() int { return 42 }
