// placeholder: the admin page
