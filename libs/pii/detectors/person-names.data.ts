/**
 * Common given names across the locales we serve (en, de, fr, es, it, pt, nl, pl, tr, in, cn, jp,
 * ar). A known first name followed by a capitalised word is taken as a person's name. Names that
 * are also ordinary words (April, Grace, Will, Bill, Mark) are left out on purpose.
 */
export const FIRST_NAMES: ReadonlySet<string> = new Set(
  `James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob
Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick
Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Peter Zachary Douglas Kyle Noah Ethan Jeremy Walter
Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy
Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Mary Patricia Jennifer Linda
Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley Kimberly Emily Donna
Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Dorothy Amy Kathleen Angela
Shirley Emma Brenda Pamela Nicole Anna Samantha Katherine Christine Debra Rachel Carolyn Janet Maria
Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly Christina Joan Evelyn
Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara Janice Ann Kathryn Abigail
Sophia Frances Jean Alice Judy Isabella Julia Beverly Denise Marilyn Amber Danielle Brittany Diana Natalie
Sophie Charlotte Amelia Oliver Harry Leo Oscar Freddie Alfie Archie Isla Ava Mia Poppy Ella Lily Chloe
Lukas Leon Finn Jonas Felix Maximilian Paul Elias Ben Luis Lena Leonie Hanna Mila Marie Emilia Johanna
Klaus Jürgen Günter Stefan Wolfgang Andreas Uwe Dieter Hans Helmut Ursula Monika Petra Sabine Renate
Gabriele Birgit Heike Katrin Anke Jörg Björn Sven Lars Nils Ingrid Astrid
Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Laurent Sébastien Julien Mathieu Antoine
François Camille Manon Chloé Léa Inès Juliette Louise Margaux Nathalie Isabelle Sylvie Valérie Céline
Hélène Aurélie Élodie Benoît Thierry Olivier Guillaume Étienne Jérôme
Antonio Manuel Francisco Javier Carlos Miguel Rafael Pedro Alejandro Fernando Pablo Jorge Luis Sergio
Alberto Diego Adrián Álvaro Raúl Carmen Josefa Isabel Dolores Pilar Teresa Rosa Lucía Paula Elena Marta
Cristina Laura Alba Sofía Valentina Camila Mariana Gabriela Daniela Alejandra Fernanda Ximena
Giuseppe Giovanni Francesco Mario Luigi Marco Alessandro Andrea Matteo Lorenzo Stefano Roberto Giulia
Chiara Francesca Federica Alessia Martina Giorgia Sara Elisa
João Pedro Lucas Gustavo Rafael Felipe Bruno Thiago Ana Beatriz Larissa Letícia Júlia
Jan Piotr Krzysztof Tomasz Paweł Agnieszka Katarzyna Małgorzata Joanna Anna
Daan Sem Bram Lieke Fleur Sanne Mehmet Mustafa Ahmet Ayşe Fatma Emine Zeynep Elif
Rahul Priya Amit Anjali Arjun Aditya Rohan Vikram Sanjay Deepak Pooja Neha Sunita Ravi Raj Kiran Anil
Wei Li Jing Ming Hui Xiao Yan Chen Hiroshi Takashi Yuki Haruto Sakura Kenji Akira Yuto
Mohammed Muhammad Ahmed Ali Omar Hassan Hussein Fatima Aisha Khalid Youssef Layla Nour Mariam Ibrahim
Olga Ivan Dmitri Sergei Natasha Irina Svetlana Vladimir Mikhail Tatiana Oksana Andrei`.split(/\s+/),
);

/** Capitalised words that end a name or are never one: "Dear Customer", "Hi Team", "John Street". */
export const NOT_NAMES: ReadonlySet<string> = new Set(
  `team teams all everyone everybody customer customers client clients user users member members sir sirs
madam madame colleagues colleague friends friend folks guys support service services sales admin manager
department office company inc ltd llc gmbh corp co the a an and or of in on at for with to from by
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december thanks thank regards please hope here there happy good
morning afternoon evening night day week ok okay yes no we i you he she it they my our your his her their
this that these those street st road rd avenue ave lane drive way boulevard place square hall park
university college school hospital bank group holdings international global partners systems
hiring human resources hr it devops engineering finance legal security account accounts billing
new old great big best first last next order invoice ticket update status report project meeting
is was are be will would can could should must also just not only
mr mrs ms miss mx dr prof sir dame herr frau mme mlle sr sra srta`.split(/\s+/),
);
