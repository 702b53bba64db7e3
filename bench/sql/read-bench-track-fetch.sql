FETCH 5000 FROM bench_track
