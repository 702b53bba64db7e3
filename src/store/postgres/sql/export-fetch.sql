FETCH 5000 FROM aisctl_export
