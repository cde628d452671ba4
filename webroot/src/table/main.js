// placeholder: the table page
