module taskwrap.test/go/guest

go 1.26
