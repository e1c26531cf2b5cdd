module taskwrap.test/hosts/gofiles

go 1.26
