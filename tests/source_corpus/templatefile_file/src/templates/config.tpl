server ${name} {
%{ for p in ports ~}
  listen ${p};
%{ endfor ~}
}
