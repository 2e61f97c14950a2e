print("booktool: not yet")
